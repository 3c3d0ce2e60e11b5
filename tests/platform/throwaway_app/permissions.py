from innocluster.core.access.permissions import anyone, declare, has_role

declare("throwaway.view", has_role("throwaway_keeper"))
declare("throwaway.api", anyone)
