"""One seeder for the demo and for benchmark-scale data: everything goes through the services, so
seeded data is audited like real data and `innocluster audit verify` passes after seeding."""
