"""The ambient token goes only to the configured Hub; echoed specs are bounded and masked."""

from __future__ import annotations

import pytest
from nnbench.artifacts import resolve
from nnbench.testing import CLIRunner
from nnbench_hf.testing import DEFAULT_TOKEN, FakeHub

FILES = {"config.json": b'{"model_type": "bert"}'}


@pytest.fixture(scope="module")
def other_host():
    """A second Hub standing in for another host: it must never see the ambient token."""
    with FakeHub() as hub:
        hub.add_repo("org/m", FILES)
        hub.keep_as_defaults()
        yield hub


@pytest.fixture
def hub_with_token(fake_hub, other_host, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", DEFAULT_TOKEN)
    fake_hub.add_repo("org/m", FILES)
    other_host.reset()
    return fake_hub


def test_another_endpoint_gets_no_ambient_token(hub_with_token, other_host):
    resolve(f"hf:org/m?endpoint={other_host.endpoint}").load()
    assert other_host.requests and not any(r.authorized for r in other_host.requests)


def test_the_configured_hub_gets_the_ambient_token(hub_with_token):
    resolve("hf:org/m").load()
    assert hub_with_token.requests and all(r.authorized for r in hub_with_token.requests)


def test_an_explicit_token_goes_where_the_spec_says(hub_with_token, other_host):
    other_host.valid_tokens.add("hf_explicitForOtherHost0123456789")
    resolve(f"hf:org/m?endpoint={other_host.endpoint}",
            token="hf_explicitForOtherHost0123456789").load()
    assert other_host.requests and all(r.authorized for r in other_host.requests)


def test_hf_endpoint_variable_is_the_configured_hub(hub_with_token, other_host, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", other_host.endpoint + "/")
    resolve("hf:org/m").load()
    assert other_host.requests and all(r.authorized for r in other_host.requests)


def test_a_long_spec_is_echoed_cut_with_its_length(fake_hub, tmp_path):
    spec = "hf:org/" + "x" * 100_000
    res = CLIRunner(cwd=tmp_path).run("fetch", spec)
    assert res.exit_code == 2 and len(res.stderr) < 600, res
    assert "100,007 characters" in res.stderr and res.stderr.count("\n") == 1


@pytest.mark.parametrize("where", ["spec", "variable"])
def test_an_endpoints_user_info_is_masked(fake_hub, tmp_path, where):
    url = "http://AKIAUSERPART:pw-secret-1@127.0.0.1:9"
    spec, env = ("hf:org/m?endpoint=" + url, {}) if where == "spec" else ("hf:org/m", {"HF_ENDPOINT": url})
    res = CLIRunner(cwd=tmp_path, env=env).run("fetch", spec)
    assert res.exit_code == 2 and "http://***@127.0.0.1:9" in res.stderr, res
    assert "AKIAUSERPART" not in res.stderr and "pw-secret-1" not in res.stderr
