"""The department's channel through the real HTTP stack, against a local stand-in of Google:
connecting with OAuth and PKCE, one broadcast per published session, updates, deletion, errors, statistics."""
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from markupsafe import escape

from trainer.core.database import utc_now
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.programmes.models import SessionStatus
from trainer.youtube import api, oauth, sync
from trainer.youtube.models import YouTubeBroadcast, YouTubeChannel
from youtube_standin import LIVE_NOT_ENABLED, QUOTA_EXCEEDED, YouTubeStandIn


@pytest.fixture
def standin():
    with YouTubeStandIn() as server:
        yield server


@pytest.fixture
def app(make_app, standin):
    app = make_app(YOUTUBE_API_ENDPOINT=standin.url, YOUTUBE_TOKEN_URI=standin.token_uri,
                   YOUTUBE_AUTH_URI=standin.url + "/auth", YOUTUBE_CLIENT_ID="client-id.apps",
                   YOUTUBE_CLIENT_SECRET="client-secret")
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture(autouse=True)
def local_google(monkeypatch):
    """The stand-in speaks plain http on loopback, and answers at once (retries would sleep)."""
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    monkeypatch.setattr(api, "RETRIES", 0)


@pytest.fixture
def channel(app, places, standin):
    """Connect the channel as the OAuth callback does, from a refresh token."""
    credentials = oauth.credentials_from_refresh_token("1//refresh-demo", "client-id.apps", "client-secret",
                                                       standin.token_uri)
    with app.test_request_context():
        connected = sync.connect(credentials, None)
    db.session.commit()
    return connected


def test_admin_connects_the_channel_with_pkce_and_the_token_is_stored_encrypted(
        app, client, login_as, standin):
    login_as(Role.ADMIN)
    response = client.post("/youtube/connect")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == standin.url + "/auth"
    asked = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert asked["code_challenge_method"] == "S256" and asked["access_type"] == "offline"
    assert asked["redirect_uri"] == "http://localhost/youtube/callback"

    response = client.get(f"/youtube/callback?state={asked['state']}&code=4/abc&scope={asked['scope']}")
    assert response.status_code == 302
    exchange = standin.calls("POST token")[0]["body"]
    assert exchange["grant_type"] == "authorization_code" and len(exchange["code_verifier"]) >= 43
    stored = db.session.get(YouTubeChannel, 1)
    assert stored.channel_title == "पंचायत एवं ग्रामीण विकास विभाग"
    assert "refresh-4/abc" not in stored.refresh_token
    assert sync.cipher().decrypt(stored.refresh_token) == "1//refresh-4/abc"
    assert stored.stream_id in standin.streams
    assert standin.streams[stored.stream_id]["contentDetails"]["isReusable"] is True
    page = client.get("/youtube/").get_data(as_text=True)
    assert "पंचायत एवं ग्रामीण विकास विभाग" in page and f"key-{stored.stream_id}" in page


def test_a_callback_with_a_wrong_state_connects_nothing(app, client, login_as, standin):
    login_as(Role.ADMIN)
    client.post("/youtube/connect")
    client.get("/youtube/callback?state=forged&code=4/abc")
    assert db.session.get(YouTubeChannel, 1) is None
    assert not standin.calls("POST token")


def test_trainer_sees_the_stream_key_but_cannot_connect_or_disconnect(app, client, login_as, channel):
    login_as(Role.TRAINER)
    assert f"key-{channel.stream_id}" in client.get("/youtube/").get_data(as_text=True)
    assert client.post("/youtube/disconnect").status_code == 403
    assert client.post("/youtube/connect").status_code == 403


def test_disconnecting_forgets_the_channel(app, client, login_as, channel):
    login_as(Role.ADMIN)
    client.post("/youtube/disconnect")
    assert db.session.get(YouTubeChannel, 1) is None


def test_publishing_makes_one_bound_broadcast_per_session(app, client, login_as, channel, standin, make_programme):
    programme = make_programme(publish=False)
    login_as(Role.TRAINER)
    client.post(f"/plan/{programme.id}/publish", data={"anyway": "y"})
    sessions = programme.sessions
    assert len(standin.broadcasts) == len(sessions) == 6
    for session in sessions:
        broadcast_id = session.youtube.broadcast_id
        assert session.status is SessionStatus.PUBLISHED and not sync.is_owed(session.id)
        assert session.youtube_url == f"https://www.youtube.com/watch?v={broadcast_id}"
        assert standin.bindings[broadcast_id] == channel.stream_id
        sent = standin.broadcasts[broadcast_id]
        assert sent["snippet"]["scheduledStartTime"] == session.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert sent["snippet"]["scheduledEndTime"] == session.ends_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert session.modules[0].title_hi in sent["snippet"]["title"]
        assert "संभाग" in sent["snippet"]["description"]
        assert sent["snippet"]["description"].endswith(f"trainer-session:{session.uid}")
        assert sent["status"]["privacyStatus"] == "unlisted"
    # A second click finds nothing left to publish and makes nothing.
    client.post(f"/plan/{programme.id}/publish", data={"anyway": "y"})
    assert len(standin.calls("POST liveBroadcasts")) == 6


def test_a_lost_answer_to_a_create_never_makes_a_second_broadcast(app, channel, standin, make_programme):
    programme = make_programme(modules=1)
    session = programme.sessions[0]
    standin.lose_answers.add("POST liveBroadcasts")
    outcome = sync.process(session.id)
    assert outcome.error == "network" and len(standin.broadcasts) == 1
    assert sync.is_owed(session.id) and session.youtube.retry_at is not None
    assert sync.due_sessions(utc_now(), 10) == [programme.sessions[1].id]  # this one waits for its retry

    later = utc_now() + timedelta(minutes=2)
    assert sync.process(session.id, later).done
    assert len(standin.broadcasts) == 1 and len(standin.calls("POST liveBroadcasts")) == 1
    assert session.youtube.broadcast_id in standin.broadcasts
    assert standin.bindings[session.youtube.broadcast_id] == channel.stream_id


def test_a_session_claimed_by_another_worker_is_left_alone(app, channel, standin, make_programme):
    session = make_programme(modules=1).sessions[0]
    db.session.add(YouTubeBroadcast(session_id=session.id, claimed_until=utc_now() + timedelta(minutes=5)))
    db.session.commit()
    assert not sync.process(session.id).done
    assert not standin.calls("POST liveBroadcasts")


def test_rescheduling_updates_the_broadcast_and_cancelling_deletes_it(
        app, client, login_as, channel, standin, make_programme):
    programme = make_programme(modules=1)
    sync.run_due()
    session = programme.sessions[0]
    broadcast_id = session.youtube.broadcast_id
    login_as(Role.TRAINER)
    form = {"day": "2026-07-22", "start": "12:00", "end": "13:30", "divisions": [session.divisions[0].id],
            "modules": [session.modules[0].id], "youtube_url": session.youtube_url}
    response = client.post(f"/plan/sessions/{session.id}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert standin.broadcasts[broadcast_id]["snippet"]["scheduledStartTime"] == "2026-07-22T06:30:00Z"
    assert len(standin.broadcasts) == 2 and session.youtube.broadcast_id == broadcast_id

    client.post(f"/plan/sessions/{session.id}/cancel")
    assert session.status is SessionStatus.CANCELLED
    assert broadcast_id not in standin.broadcasts
    assert session.youtube.broadcast_id is None and session.youtube_url == ""


def test_a_broadcast_deleted_on_youtube_is_made_again(app, channel, standin, make_programme):
    session = make_programme(modules=1).sessions[0]
    sync.process(session.id)
    standin.broadcasts.clear()
    session.sequence += 1  # the session changes: its broadcast must follow, and is found gone
    db.session.commit()
    assert sync.process(session.id).done
    assert session.youtube.broadcast_id in standin.broadcasts


@pytest.mark.parametrize("failure, kind", [(QUOTA_EXCEEDED, "quota_exceeded"),
                                           (LIVE_NOT_ENABLED, "live_not_enabled")])
def test_youtube_refusals_are_explained_and_retried_later(
        app, client, login_as, channel, standin, make_programme, failure, kind):
    programme = make_programme(publish=False, modules=1)
    standin.fail_next("POST liveBroadcasts", failure, times=2)
    login_as(Role.TRAINER)
    page = client.post(f"/plan/{programme.id}/publish", data={"anyway": "y"}, follow_redirects=True).get_data(as_text=True)
    with app.test_request_context():
        assert str(escape(sync.explain(kind))) in page
    assert {s.status for s in programme.sessions} == {SessionStatus.PUBLISHED}
    assert {s.youtube.error for s in programme.sessions} == {kind}
    assert not standin.broadcasts
    assert all(o.done for o in sync.run_due(utc_now() + timedelta(minutes=2)))
    assert len(standin.broadcasts) == 2


def test_a_revoked_token_is_reported_on_the_channel_page(app, client, login_as, channel, standin, make_programme):
    session = make_programme(modules=1).sessions[0]
    standin.revoked = True
    assert sync.process(session.id).error == "token_revoked"
    assert channel.last_error == "token_revoked"
    login_as(Role.ADMIN)
    page = client.get("/youtube/").get_data(as_text=True)
    with app.test_request_context():
        assert str(escape(sync.explain("token_revoked"))) in page


def test_the_network_down_leaves_the_session_saved_and_pending(app, channel, make_programme):
    session = make_programme(modules=1).sessions[0]
    app.config["YOUTUBE_API_ENDPOINT"] = "http://127.0.0.1:9"  # the discard port: nobody answers
    assert sync.process(session.id).error == "network"
    assert session.status is SessionStatus.PUBLISHED and sync.is_owed(session.id)


def test_statistics_are_kept_with_the_peak_of_concurrent_viewers(app, channel, standin, make_programme):
    session = make_programme(modules=1).sessions[0]
    sync.process(session.id)
    session.status = SessionStatus.LIVE
    db.session.commit()
    broadcast = session.youtube.broadcast_id
    now = session.starts_at + timedelta(minutes=10)
    standin.statistics[broadcast] = {"statistics": {"viewCount": "120"},
                                     "liveStreamingDetails": {"concurrentViewers": "45"}}
    assert sync.collect_stats(now) == 1
    standin.statistics[broadcast] = {"statistics": {"viewCount": "180"},
                                     "liveStreamingDetails": {"concurrentViewers": "30"}}
    assert sync.collect_stats(now + timedelta(minutes=1)) == 0  # read at most every few minutes
    assert sync.collect_stats(now + timedelta(minutes=6)) == 1
    session.status = SessionStatus.COMPLETED
    standin.statistics[broadcast] = {"statistics": {"viewCount": "310"}, "liveStreamingDetails": {}}
    assert sync.collect_stats(now + timedelta(hours=3)) == 1
    assert (session.youtube.views, session.youtube.peak_viewers) == (310, 45)


def test_the_sync_command_advances_statuses_and_does_pending_work(app, runner, channel, standin, make_programme):
    upcoming = make_programme(modules=1, first_day=date(2027, 7, 21), last_day=date(2027, 8, 7))
    past = make_programme(title="पिछला", modules=1)  # July 2026: over before today
    result = runner.invoke(args=["youtube", "sync"])
    assert result.exit_code == 0, result.output
    assert "2 session statuses changed" in result.output
    assert {s.status for s in past.sessions} == {SessionStatus.COMPLETED}
    assert len(standin.broadcasts) == 2
    assert {s.youtube.broadcast_id for s in upcoming.sessions} == set(standin.broadcasts)


def test_without_a_channel_the_plan_says_which_sessions_lack_a_link_not_that_youtube_is_pending(
        app, client, login_as, make_programme):
    from flask_babel import force_locale, gettext

    programme = make_programme(modules=1)
    pasted, missing = programme.sessions[0], programme.sessions[1]
    pasted.youtube_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    db.session.commit()
    login_as(Role.TRAINER)
    page = client.get(f"/plan/{programme.id}").get_data(as_text=True)
    with app.test_request_context(), force_locale("hi"):
        no_link = gettext("No YouTube link: paste one (no channel connected)")
        pending = gettext("YouTube broadcast on its way")
    rows = {session.id: page.split(f'/plan/sessions/{session.id}/edit')[1].split("</tr>")[0]
            for session in (pasted, missing)}
    assert no_link in rows[missing.id] and no_link not in rows[pasted.id]
    assert pending not in page


def test_with_a_channel_each_session_says_what_youtube_still_owes_it(app, channel, standin, make_programme):
    from flask_babel import force_locale

    from trainer.youtube.sync import session_note, status_for

    programme = make_programme(modules=1)
    owed, pasted = programme.sessions[0], programme.sessions[1]
    pasted.youtube_url = "https://youtu.be/dQw4w9WgXcQ"  # a link of its own: no broadcast is owed
    db.session.commit()
    with app.test_request_context(), force_locale("en_IN"):
        assert "on its way" in session_note(owed, status_for([owed, pasted]))
        assert session_note(pasted, status_for([owed, pasted])) == ""
        standin.fail_next("POST liveBroadcasts", QUOTA_EXCEEDED)
        assert sync.process(owed.id).error == "quota_exceeded"
        assert "again" in session_note(owed, status_for([owed]))
        assert sync.process(owed.id, utc_now() + timedelta(hours=1)).done
        assert session_note(owed, status_for([owed])) == ""
