"""The bell in the top bar and the notifications page: each user reads only his own."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from xiaoqu.audit.models import Notification
from xiaoqu.audit.services import notify
from xiaoqu.conftest import World


def test_the_bell_counts_unread_notifications(world: World):
    notify(recipients=[world.liaison], text="新移交 YJ-1", link="/referrals/1/")
    notify(recipients=[world.liaison, world.dispatcher], text="逾期 XS-1", link="/leads/1/")
    html = world.client_for(world.liaison).get(reverse("home")).content.decode()
    assert 'data-testid="bell"' in html
    assert 'data-testid="unread-badge">2<' in html
    html = world.client_for(world.officer_a).get(reverse("home")).content.decode()
    assert 'data-testid="bell"' in html and "unread-badge" not in html


def test_the_page_lists_only_my_notifications(world: World):
    notify(recipients=[world.liaison], text="给联络员的通知")
    notify(recipients=[world.dispatcher], text="给调度员的通知")
    html = world.client_for(world.liaison).get(reverse("audit:notifications")).content.decode()
    assert "给联络员的通知" in html and "给调度员的通知" not in html


def test_opening_marks_read_and_goes_to_the_record(world: World):
    notify(recipients=[world.liaison], text="新移交", link="/referrals/1/")
    item = Notification.objects.get(recipient=world.liaison)
    other = world.client_for(world.dispatcher)
    assert other.get(reverse("audit:notification_open", args=[item.pk])).status_code == 404
    client = world.client_for(world.liaison)
    response = client.get(reverse("audit:notification_open", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == "/referrals/1/"
    item.refresh_from_db()
    assert item.read_at is not None
    # read ones are under "all"
    assert "新移交" not in client.get(reverse("audit:notifications")).content.decode()
    html = client.get(reverse("audit:notifications"), {"show": "all"}).content.decode()
    assert "新移交" in html


def test_a_link_off_the_site_is_not_followed(world: World):
    Notification.objects.create(
        recipient=world.liaison, text="x", link="https://evil.example/", created_at=timezone.now()
    )
    item = Notification.objects.get(recipient=world.liaison)
    response = world.client_for(world.liaison).get(
        reverse("audit:notification_open", args=[item.pk])
    )
    assert response["Location"] == reverse("audit:notifications")


def test_mark_one_and_mark_all_read(world: World):
    notify(recipients=[world.liaison], text="一")
    notify(recipients=[world.liaison], text="二")
    notify(recipients=[world.dispatcher], text="三")
    first = Notification.objects.filter(recipient=world.liaison).order_by("pk").first()
    assert first is not None
    client = world.client_for(world.liaison)
    url = reverse("audit:notifications_read")
    response = client.post(url, {"pk": first.pk, "next": "https://evil.example/"})
    assert response["Location"] == reverse("audit:notifications")
    assert Notification.objects.filter(recipient=world.liaison, read_at__isnull=True).count() == 1
    # the dispatcher's notification is out of reach
    theirs = Notification.objects.get(recipient=world.dispatcher)
    client.post(url, {"pk": theirs.pk})
    client.post(url)
    assert not Notification.objects.filter(recipient=world.liaison, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.get(url).status_code == 405
