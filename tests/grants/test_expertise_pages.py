"""The expert commission's pages: who sees what (an expert only their own assignments, nothing once
recused, never another expert's scores), the load view, the ranking with its chart, the forms'
refusals beside the fields."""

from decimal import Decimal

import pytest
from django.urls import reverse

from innocluster.grants.models import AssignmentStatus, ExpertAssignment, Score
from innocluster.grants.services import expertise as services
from tests.factories.accounts import Person, login_with_2fa, make_people
from tests.factories.grants import application, publish_now
from tests.factories.registry import registered_participant
from tests.grants.conftest import ready_call

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def crew(people):
    return {
        **people,
        **make_people(
            {
                "e1": Person("expert", "e1"),
                "e2": Person("expert", "e2"),
                "chair": Person("expert_chair", "chair"),
            }
        ),
    }


@pytest.fixture
def app(programme, crew):
    call = publish_now(ready_call(programme, crew["pm"]), crew["pm2"])
    participant = registered_participant(crew["rep"])
    return application(
        call, participant.organisation, crew["rep"], status="expertise", participant=participant
    )


def signed_in(client, user):
    login_with_2fa(client, user)
    return client


def scores(novelty, market, team, comment):
    return {
        "novelty": {"value": novelty, "comment": comment},
        "market": {"value": market, "comment": comment},
        "team": {"value": team, "comment": comment},
    }


def test_an_expert_recused_gets_404_on_the_application_and_its_files(client, app, crew):
    assignment = services.assign(app, crew["e1"], by=crew["pm"])
    signed_in(client, crew["e1"])
    # before the declaration the application is not readable either
    assert client.get(reverse("grants_expertise:my_application", args=[assignment.pk])).status_code == 404
    page = client.get(reverse("grants_expertise:my_assignment", args=[assignment.pk]))
    assert page.status_code == 200 and "conflict of interest" in page.content.decode()
    response = client.post(
        reverse("grants_expertise:declare", args=[assignment.pk]), {"has_conflict": "yes", "details": ""}
    )
    assert response.status_code == 400 and "Describe the conflict of interest." in response.content.decode()
    response = client.post(
        reverse("grants_expertise:declare", args=[assignment.pk]),
        {"has_conflict": "yes", "details": "Former employer"},
    )
    assert response.status_code == 303
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RECUSED
    file = app.files.first()
    assert client.get(reverse("grants_expertise:my_application", args=[assignment.pk])).status_code == 404
    assert client.get(reverse("grants_expertise:my_file", args=[assignment.pk, file.pk])).status_code == 404
    response = client.post(
        reverse("grants_expertise:review", args=[assignment.pk]), {"score_novelty": "5", "submit": "1"}
    )
    assert response.status_code == 404
    assert not Score.objects.exists()


def test_another_experts_assignment_is_404(client, app, crew):
    assignment = services.assign(app, crew["e1"], by=crew["pm"])
    signed_in(client, crew["e2"])
    for name in ("my_assignment", "my_application"):
        assert client.get(reverse(f"grants_expertise:{name}", args=[assignment.pk])).status_code == 404
    response = client.post(reverse("grants_expertise:declare", args=[assignment.pk]), {"has_conflict": "no"})
    assert response.status_code == 404
    mine = client.get(reverse("grants_expertise:mine")).content.decode()
    assert reverse("grants_expertise:my_assignment", args=[assignment.pk]) not in mine
    assert app.number not in mine  # (not the user name "e1": a CSRF token may hold those letters)


def test_an_expert_reads_the_application_scores_and_never_sees_another_experts_scores(client, app, crew):
    other = services.assign(app, crew["e2"], by=crew["pm"])
    services.declare_conflict(other, by=crew["e2"], has_conflict=False)
    services.submit_review(
        other, by=crew["e2"], scores=scores(3, 3, 1, "SECRET-COMMENT-OF-E2"), opinion="inexpedient",
        opinion_text="SECRET-REASONING-OF-E2",
    )  # fmt: skip
    mine = services.assign(app, crew["e1"], by=crew["pm"])
    signed_in(client, crew["e1"])
    response = client.post(reverse("grants_expertise:declare", args=[mine.pk]), {"has_conflict": "no"})
    assert response.status_code == 303
    page = client.get(reverse("grants_expertise:my_application", args=[mine.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Digital twin of a gas processing line" in text and "Model and data pipeline" in text
    assert "A. Seitkali" in text and "Unplanned stops avoided" in text
    file = app.files.first()
    assert f"/mine/{mine.pk}/files/{file.pk}/" in text
    download = client.get(reverse("grants_expertise:my_file", args=[mine.pk, file.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    # missing comment at submission: named beside the field, nothing final
    data = {
        "score_novelty": "8", "comment_novelty": "Strong", "score_market": "7", "comment_market": "Fair",
        "score_team": "9", "comment_team": "", "opinion": "expedient", "opinion_text": "Worth it",
        "submit": "1",
    }  # fmt: skip
    response = client.post(reverse("grants_expertise:review", args=[mine.pk]), data)
    assert response.status_code == 400
    assert "The score is from 0 to 5." in response.content.decode()
    data.update(score_team="4")
    response = client.post(reverse("grants_expertise:review", args=[mine.pk]), data)
    assert response.status_code == 400
    assert "Explain the score in a comment." in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.REVIEWING
    data.update(comment_team="Small team")
    response = client.post(reverse("grants_expertise:review", args=[mine.pk]), data)
    assert response.status_code == 303
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.SUBMITTED and mine.total == D("76.50")
    text = client.get(reverse("grants_expertise:my_application", args=[mine.pk])).content.decode()
    assert "76.50" in text
    for secret in ("SECRET-COMMENT-OF-E2", "SECRET-REASONING-OF-E2", str(other.total)):
        assert secret not in text
    # the expert is refused the staff pages that show every review
    assert client.get(reverse("grants_expertise:application", args=[app.pk])).status_code == 403
    assert client.get(reverse("grants_expertise:ranking", args=[app.call_id])).status_code == 403


def test_a_draft_is_kept_on_the_page(client, app, crew):
    mine = services.assign(app, crew["e1"], by=crew["pm"])
    services.declare_conflict(mine, by=crew["e1"], has_conflict=False)
    signed_in(client, crew["e1"])
    response = client.post(
        reverse("grants_expertise:review", args=[mine.pk]),
        {"score_novelty": "6", "comment_novelty": "DRAFT-NOTE", "save": "1"},
    )
    assert response.status_code == 303
    assert (
        "DRAFT-NOTE"
        in client.get(reverse("grants_expertise:my_application", args=[mine.pk])).content.decode()
    )
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.REVIEWING


def test_the_programme_manager_assigns_from_the_call_page_and_sees_the_load(client, app, crew):
    signed_in(client, crew["pm"])
    page = client.get(reverse("grants_expertise:assign_page", args=[app.call_id]))
    assert page.status_code == 200 and app.number in page.content.decode()
    prefix = f"a{app.pk}"
    response = client.post(
        reverse("grants_expertise:assign", args=[app.pk]), {f"{prefix}-expert": crew["e1"].pk}
    )
    assert response.status_code == 303
    response = client.post(
        reverse("grants_expertise:assign", args=[app.pk]), {f"{prefix}-expert": crew["e1"].pk}
    )
    assert response.status_code == 400
    assert "already assigned" in response.content.decode()
    response = client.post(
        reverse("grants_expertise:assign", args=[app.pk]), {f"{prefix}-expert": crew["auditor"].pk}
    )
    assert response.status_code == 400  # not an expert: not among the choices
    assert ExpertAssignment.objects.count() == 1
    text = client.get(reverse("grants_expertise:load")).content.decode()
    row = text[text.index('data-expert="e1"') :]
    row = row[: row.index("</tr>")]
    assert '<td class="num">1</td><td class="num">0</td>' in row
    assignment = ExpertAssignment.objects.get()
    response = client.post(
        reverse("grants_expertise:cancel", args=[assignment.pk]), {f"c{assignment.pk}-reason": "Ill"}
    )
    assert response.status_code == 303
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.CANCELLED


def test_the_ranking_shows_the_table_and_the_chart_and_the_chair_sees_every_review(client, app, crew):
    for expert, values in ((crew["e1"], (8, 7, 4)), (crew["e2"], (8, 7, 0))):
        a = services.assign(app, expert, by=crew["pm"])
        services.declare_conflict(a, by=expert, has_conflict=False)
        services.submit_review(a, by=expert, scores=scores(*values, f"NOTE-{expert.username}"),
                               opinion="expedient", opinion_text="ok")  # fmt: skip
    signed_in(client, crew["chair"])
    page = client.get(reverse("grants_expertise:ranking", args=[app.call_id]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "66.50" in text and "20.00" in text and "data:image/svg+xml;base64," in text
    page = client.get(reverse("grants_expertise:application", args=[app.pk]))
    text = page.content.decode()
    assert "NOTE-e1" in text and "NOTE-e2" in text and "76.50" in text and "56.50" in text
    response = client.post(
        reverse("grants_expertise:request_review", args=[app.pk]),
        {"request-expert": crew["e1"].pk, "request-reason": ""},
    )
    assert response.status_code == 400
    response = client.post(
        reverse("grants_expertise:request_review", args=[app.pk]),
        {"request-expert": crew["e1"].pk, "request-reason": "A third look"},
    )
    assert response.status_code == 303
    assert ExpertAssignment.objects.filter(round=2, reason="A third look").exists()


def test_the_auditor_reads_the_ranking_but_cannot_give_the_opinion(client, app, crew):
    signed_in(client, crew["auditor"])
    assert client.get(reverse("grants_expertise:ranking", args=[app.call_id])).status_code == 200
    response = client.post(
        reverse("grants_expertise:give_opinion", args=[app.pk]), {"opinion-opinion": "expedient"}
    )
    assert response.status_code == 403
