"""A damaged PACS server list (``pacs/servers.json``, ``pacs/credentials.json`` in the data
folder): every ``pacs`` command and the PACS dialog refuse it in one line naming the file. Values
of another type raised TypeError, AttributeError or ValueError (``bench/mutate_readers.py --only
pacs_servers``, seed 55: 33 internal errors of 150 cases), and a port or AE title out of range was
said without naming the file (3 more)."""

from __future__ import annotations

import json

import pytest

from neuroview.io.pacs.config import PacsError, ServerConfig, load_servers, save_server
from neuroview.paths import user_data_dir


@pytest.fixture
def listed():
    save_server(ServerConfig("main", host="127.0.0.1", port=11112, called_aet="ORTHANC",
                             username="ana", password="pw"))
    return user_data_dir() / "pacs"


@pytest.mark.parametrize(("file", "change", "said"), [
    ("servers.json", lambda d: d.update(main=True), 'server "main" is not a JSON object'),
    ("servers.json", lambda d: d.update(main=[["port"]]), 'server "main" is not a JSON object'),
    ("servers.json", lambda d: d["main"].update(port=[1]), 'its port is [1], not a whole number'),
    ("servers.json", lambda d: d["main"].update(host=None), 'server "main": its host is null, not text'),
    ("servers.json", lambda d: d["main"].update(called_aet=7), "its called_aet is 7, not text"),
    ("servers.json", lambda d: d["main"].update(url=False), "its url is false, not text"),
    ("servers.json", lambda d: d["main"].update(timeout=-1), "its timeout is -1, not a number of "
                                                              "seconds above 0"),
    ("servers.json", lambda d: d["main"].update(port=0), "server 'main': port 0 is not a TCP port"),
    ("credentials.json", lambda d: d.update(main="pw"), 'the credentials of server "main" are not a '
                                                         "JSON object"),
])
def test_a_damaged_server_list_is_one_line_naming_the_file(listed, file, change, said):
    path = listed / file
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))
    with pytest.raises(PacsError) as refused:
        load_servers()
    text = str(refused.value)
    assert text.startswith(f"{path}: ") and said in text and "\n" not in text, text


def test_the_pacs_list_command_says_it_in_one_line(listed, capsys):
    from neuroview.cli.main import main

    path = listed / "servers.json"
    path.write_text(json.dumps({"main": {"host": ["x"]}}))
    assert main(["pacs", "list"]) == 1
    err = capsys.readouterr().err
    assert err == f'neuroview: error: {path}: server "main": its host is ["x"], not text\n', err
