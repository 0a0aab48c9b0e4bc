import pytest
from nnbench.artifacts import parse_spec, resolve
from nnbench.errors import ArtifactNotFoundError, UnknownSchemeError
from nnbench.plugins import PluginManager, set_plugin_manager
from nnbench.plugins.hookspecs import hookimpl
from nnbench.types import ArtifactLoader, LocalArtifactLoader


@pytest.mark.parametrize(
    ("spec", "scheme", "rest", "options"),
    [
        ("hf:dslim/bert-base-NER", "hf", "dslim/bert-base-NER", {}),
        ("hf://dslim/bert-base-NER@main", "hf", "dslim/bert-base-NER@main", {}),
        ("s3://bucket/models/ner?anon=true&x=1", "s3", "bucket/models/ner",
         {"anon": "true", "x": "1"}),
        ("HF:Org/Name", "hf", "Org/Name", {}),
        ("zip://model::s3://b/k.zip", "zip", "model::s3://b/k.zip", {}),
        ("memory://x/y", "memory", "x/y", {}),
    ],
)
def test_spec_grammar(spec, scheme, rest, options):
    parsed = parse_spec(spec)
    assert (parsed.scheme, parsed.rest, parsed.options) == (scheme, rest, options)


@pytest.mark.parametrize("path", ["C:\\models\\ner", "c:/x", "./hf:odd", "/abs/path",
                                  "relative/dir", "~/models", "model.safetensors"])
def test_paths_are_not_specs(path):
    assert parse_spec(path) is None


def test_existing_local_path_wins_over_a_scheme(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hf:odd").mkdir()
    loader = resolve("hf:odd")
    assert isinstance(loader, LocalArtifactLoader)
    assert resolve("./hf:odd").load().name == "hf:odd"


def test_url_form_keeps_chained_urls():
    assert parse_spec("s3://b/k?anon=1").url == "s3://b/k"
    assert parse_spec("hf:org/name").url == "hf://org/name"
    assert parse_spec("simplecache::s3://b/k").url == "simplecache::s3://b/k"
    assert parse_spec("zip://m::s3://b/k.zip?anon=1").url == "zip://m::s3://b/k.zip"


def test_unknown_scheme_names_the_plugin_to_install():
    set_plugin_manager(PluginManager(load_entry_points=False))
    with pytest.raises(UnknownSchemeError) as err:
        resolve("hf:dslim/bert-base-NER")
    assert "pip install nnbench-hf" in str(err.value)
    assert "installed schemes: file" in str(err.value)


@pytest.mark.parametrize(("spec", "package"), [("s3://b/k", "nnbench-fsspec[s3]"),
                                               ("gs://b/k", "nnbench-fsspec[gcs]"),
                                               ("az://c/k", "nnbench-fsspec[azure]")])
def test_install_hints_for_remote_stores(spec, package):
    set_plugin_manager(PluginManager(load_entry_points=False))
    with pytest.raises(UnknownSchemeError, match=r"pip install " + package.replace("[", r"\[")):
        resolve(spec)


def test_blocked_plugin_is_named_in_the_error():
    set_plugin_manager(PluginManager(blocked=["hf"], load_entry_points=False))
    with pytest.raises(UnknownSchemeError, match="plugin 'hf' is disabled here"):
        resolve("hf:org/name")


def test_missing_path_error():
    with pytest.raises(ArtifactNotFoundError, match="does not exist"):
        resolve("./definitely/missing")


class EchoLoader(ArtifactLoader):
    def __init__(self, spec, **kwargs):
        self.parsed, self.kwargs = spec, kwargs

    def load(self):
        return self.parsed.rest


class EchoPlugin:
    @hookimpl
    def nnbench_register_loaders(self, register):
        register("echo", EchoLoader, description="test")


def test_plugin_scheme_receives_parsed_spec_and_kwargs():
    pm = PluginManager(load_entry_points=False)
    pm.register(EchoPlugin(), "echo")
    set_plugin_manager(pm)
    loader = resolve("echo://a/b?k=v", token="secret")
    assert loader.spec == "echo://a/b?k=v"
    assert loader.parsed.options == {"k": "v"} and loader.kwargs == {"token": "secret"}


def test_two_plugins_claiming_a_scheme_is_an_error():
    pm = PluginManager(load_entry_points=False)
    pm.register(EchoPlugin(), "one")
    pm.register(EchoPlugin(), "two")
    with pytest.raises(Exception, match="registered by both"):
        pm.loaders()
