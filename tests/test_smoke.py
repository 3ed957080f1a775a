def test_home_lists_only_active_associations(client, association, other_association):
    other_association.status = "pending"
    other_association.save()

    response = client.get("/")

    assert response.status_code == 200
    assert "Proxi Bobigny" in response.content.decode()
    assert "Mentorat Marseille" not in response.content.decode()
