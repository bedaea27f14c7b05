from tests.helpers import text


def test_landing_page_invites_visitors_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Log in" in text(response)


def test_trainee_home_greets_them(trainee_client, trainee):
    response = trainee_client.get("/")
    assert trainee.full_name in text(response)
