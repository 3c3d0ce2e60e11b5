from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from innocluster.core.access.roles import role_choices
from innocluster.core.policy.models import Kind

from .models import APIToken
from .services import MAX_TOKEN_DAYS

SOURCES = [("law", "law"), ("src", "official source"), ("design", "design decision")]


class RootSerializer(serializers.Serializer):
    me = serializers.URLField()
    tokens = serializers.URLField()
    rules = serializers.URLField()
    values = serializers.CharField(help_text="URL template: replace {key} with a policy key.")
    schema = serializers.URLField()
    docs = serializers.URLField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=role_choices()))
    two_factor = serializers.BooleanField(
        help_text="This request is two-factor authenticated: its session used a second factor, or its "
        "token was created from such a session."
    )
    two_factor_required = serializers.BooleanField(help_text="The user's roles require two-factor sign-in.")
    authentication = serializers.ChoiceField(choices=[("session", "session"), ("token", "token")])


class TokenSerializer(serializers.ModelSerializer):
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = APIToken
        fields = [
            "name",
            "prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "two_factor",
            "active",
        ]
        read_only_fields = fields


class TokenCreateSerializer(serializers.Serializer):
    # Not trimmed here: a name blank once trimmed is the service's refusal (422), since the schema
    # cannot say "not only spaces".
    name = serializers.CharField(max_length=100, trim_whitespace=False)
    days = serializers.IntegerField(
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        required=False,
        help_text=f"Lifetime in days (default: the deployment's setting, at most {MAX_TOKEN_DAYS}).",
    )


class IssuedTokenSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="Shown once: it is not stored and cannot be shown again.")
    prefix = serializers.CharField()
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string"},
            {"type": "integer"},
            {"type": "boolean"},
            {
                "type": "array",
                "items": {
                    "anyOf": [
                        {"type": "string"},
                        {
                            "type": "object",
                            "properties": {
                                "attribute": {"type": "string"},
                                "operator": {"type": "string"},
                                "value": {},
                                "reference": {"type": "string"},
                                "reference_ru": {"type": "string"},
                                "reference_kk": {"type": "string"},
                                "source": {"type": "string"},
                            },
                            "required": ["attribute", "operator", "value", "reference", "source"],
                        },
                        {
                            "type": "object",
                            "description": "A row of a table (e.g. the authority matrix): text or null.",
                            "additionalProperties": {"type": "string", "nullable": True},
                        },
                    ]
                },
            },
        ],
        "nullable": True,
        "description": "Decimal fractions ('0.01' is 1%) and exact fractions ('2/3') as strings, "
        "days and years as integers, yes/no as booleans, lists of codes as arrays, conditions as "
        "arrays of rows (attribute, operator, value, reference, source), tables as arrays of "
        "rows of text; null means an explicit 'none'.",
    }
)
class PolicyValueField(serializers.JSONField):
    pass


class RuleSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    value = PolicyValueField()
    display = serializers.CharField(help_text="The value as people read it, in the requested language.")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    reference = serializers.CharField(help_text="Legal reference, in the requested language.")
    source = serializers.ChoiceField(choices=SOURCES)
    source_label = serializers.CharField()


class PolicyValueSerializer(serializers.Serializer):
    key = serializers.CharField()
    regime = serializers.CharField()
    value = PolicyValueField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    reference = serializers.CharField()
    source = serializers.ChoiceField(choices=SOURCES)


class PolicyQuerySerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="The date (YYYY-MM-DD); default: today in Almaty.")
    regime = serializers.SlugField(required=False, help_text="Regime code; default: the active regime.")


class RulesQuerySerializer(PolicyQuerySerializer):
    lang = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        help_text="Language of labels and references; default: the request's language.",
    )
