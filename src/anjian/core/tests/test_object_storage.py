"""Uploads in an S3-compatible store (settings S3_*): a real S3 server (moto's, over HTTP) and the
real SDK. A photo is stored as a private object; its scoped view answers a redirect to a URL signed
for a minute that serves the same JPEG; whoever may not see the hazard gets no URL."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.test import override_settings

from anjian.core.testing.factories import api_client
from anjian.core.testing.pgserver import free_port
from anjian.hazards.tests.helpers import jpeg

pytestmark = pytest.mark.one_database
BUCKET = "anjian-test-media"


@pytest.fixture(scope="module")
def s3_server():
    moto = Path(sys.executable).parent / "moto_server"
    if not moto.exists() and shutil.which("moto_server") is None:
        pytest.fail("moto_server is missing: `uv sync` installs the dev dependencies (moto[server])")
    port = free_port()
    proc = subprocess.Popen(  # noqa: S603
        [str(moto if moto.exists() else "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # moto imports slowly on a busy machine
        while True:
            try:
                requests.get(url, timeout=10)
                break
            except requests.RequestException:  # not listening yet, or too busy starting to answer
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail(f"moto_server did not answer on {url}")
                time.sleep(0.2)
        import boto3

        boto3.client(
            "s3", endpoint_url=url, aws_access_key_id="k", aws_secret_access_key="s", region_name="us-east-1"
        ).create_bucket(Bucket=BUCKET)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def in_the_store(s3_server):
    storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": s3_server,
            "access_key": "k",
            "secret_key": "s",
            "region_name": "us-east-1",
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            "location": "media",
        },
    }
    from django.conf import settings

    with override_settings(S3_BUCKET=BUCKET, STORAGES={**settings.STORAGES, "default": storage}):
        yield s3_server


def test_a_photo_in_the_store_is_handed_out_by_a_signed_url_to_who_may_see_it(world, in_the_store):
    officer = api_client(world.officer_a)
    response = officer.post(
        "/api/v1/hazards/",
        {"title": "配电间线路老化", "location": "门诊楼一层", "category": "electrical", "photos": [jpeg()]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    hazard = response.json()
    photo_url = f"/api/v1/hazards/{hazard['id']}/photos/{hazard['photos'][0]['id']}/image/"

    answer = officer.get(photo_url)

    assert answer.status_code == 302 and answer["Cache-Control"] == "private, no-store"
    signed = answer["Location"]
    assert signed.startswith(in_the_store) and "X-Amz-Signature=" in signed and "X-Amz-Expires=60" in signed
    served = requests.get(signed, timeout=10)
    assert served.status_code == 200 and served.content[:3] == b"\xff\xd8\xff"
    assert served.headers["Content-Type"] == "image/jpeg"
    # the object is in the bucket, not on the local disk
    import boto3

    keys = [
        o["Key"]
        for o in boto3.client(
            "s3", endpoint_url=in_the_store, aws_access_key_id="k", aws_secret_access_key="s", region_name="us-east-1"
        ).list_objects_v2(Bucket=BUCKET)["Contents"]
    ]
    assert any(key.startswith("media/") and key.endswith(".jpg") for key in keys)
    # another institution's officer gets no URL at all
    assert api_client(world.officer_b).get(photo_url).status_code == 404
