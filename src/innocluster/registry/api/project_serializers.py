"""The project of an application over the API: how it reads (period, measures, budget by year,
priority activities) and how the applicant writes it; refusals keep the row and field they name."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from innocluster.apikit.errors import Unprocessable, field_errors
from innocluster.registry.selectors.project import project_of


class ProjectMeasureSerializer(serializers.Serializer):
    """A measure of the project: what, when (within the project's period), to what result."""

    position = serializers.IntegerField(read_only=True, help_text="Its number, from 1, in the given order.")
    title = serializers.CharField(max_length=300)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    expected_result = serializers.CharField()


class ProjectBudgetLineSerializer(serializers.Serializer):
    """A budget line: an item, the year it is spent in (within the project's period), tenge."""

    position = serializers.IntegerField(read_only=True)
    item = serializers.CharField(max_length=300)
    year = serializers.IntegerField(min_value=1900, max_value=2200)
    amount = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        help_text="KZT, a decimal string with at most two places; zero or more (a negative one is 422).",
    )


class ProjectYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=18, decimal_places=2)


class ProjectActivitySerializer(serializers.Serializer):
    oked = serializers.CharField(help_text="The OKED code.")
    name = serializers.CharField(help_text="The activity's name in the reader's language.")


class ProjectSerializer(serializers.Serializer):
    """The application's project (Law 207-V art. 1): period, measures, budget by year with the
    total, and the priority activities by OKED code that the agreement binds the participant to."""

    title = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    starts_on = serializers.DateField(read_only=True, allow_null=True)
    ends_on = serializers.DateField(read_only=True, allow_null=True)
    measures = ProjectMeasureSerializer(many=True, read_only=True)
    budget = ProjectBudgetLineSerializer(many=True, read_only=True)
    budget_by_year = ProjectYearSerializer(many=True, read_only=True)
    budget_total = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    priority_activities = ProjectActivitySerializer(many=True, read_only=True)


def project_data(application) -> dict:
    """The project as :class:`ProjectSerializer` reads it."""
    project = project_of(application)
    return {
        "title": project.title,
        "summary": project.summary,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "measures": project.measures,
        "budget": [line for year in project.budget for line in year.lines],
        "budget_by_year": [{"year": y.year, "total": y.total} for y in project.budget],
        "budget_total": project.total,
        "priority_activities": [{"oked": a.oked, "name": a.name} for a in project.activities],
    }


class ProjectInputSerializer(serializers.Serializer):
    """The project as the applicant writes it. Every field is optional: a field left out stays as
    it is; ``measures`` and ``budget``, when given, replace the stored rows. The rules (dates
    within the period, amounts, known OKED codes) answer 422 with errors such as
    ``measures.1.ends_on``."""

    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True, help_text="At least 50 characters.")
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True, help_text="After starts_on.")
    measures = ProjectMeasureSerializer(many=True, required=False)
    budget = ProjectBudgetLineSerializer(many=True, required=False)
    priority_activities = serializers.ListField(
        child=serializers.CharField(max_length=10),
        required=False,
        help_text='OKED codes, e.g. ["62", "72"].',
    )

    # The service's names for the fields of the body.
    SERVICE_NAMES = {
        "title": "project_title",
        "summary": "project_summary",
        "starts_on": "project_starts_on",
        "ends_on": "project_ends_on",
    }

    @classmethod
    def service_fields(cls, data: dict) -> dict:
        """Validated ``data`` as ``services.applications.save_project``'s keyword arguments."""
        return {cls.SERVICE_NAMES.get(name, name): value for name, value in data.items()}


def project_errors(error: DjangoValidationError, prefix: str = "") -> Unprocessable:
    """The service's refusal of a project with the body's names (``project_starts_on`` →
    ``starts_on``, ``measures.1.ends_on`` as is), under ``prefix``."""
    back = {service: name for name, service in ProjectInputSerializer.SERVICE_NAMES.items()}
    errors = {}
    for field, messages in field_errors(error).items():
        head, dot, rest = field.partition(".")
        errors[prefix + back.get(head, head) + dot + rest] = messages
    return Unprocessable(errors)
