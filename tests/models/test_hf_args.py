"""``--model-arg`` parsing for the transformers backends: accepted values, one-line errors.

(That parsing imports nothing heavy is covered by test_hf's import test: ``hf`` imports ``hf_args``.)
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_multitrust.models.hf_args import HF_ARG_KEYS, HFArgs, parse_model_args


def test_nothing_given_means_the_defaults() -> None:
    assert parse_model_args({}) == HFArgs()
    assert HFArgs().trust_remote_code is False


def test_every_key_parses() -> None:
    args = parse_model_args(
        {
            "dtype": "bfloat16",
            "device": "cuda:1",
            "attn_implementation": "EAGER",
            "max_batch_size": " 4 ",
            "trust_remote_code": "True",
        }
    )
    assert args == HFArgs(
        dtype="bfloat16", device="cuda:1", attn_implementation="eager", max_batch_size=4, trust_remote_code=True
    )
    assert parse_model_args({"device_map": "auto"}).device_map == "auto"
    assert parse_model_args({"device_map": "cuda:0"}).device_map == "cuda:0"
    assert parse_model_args({"trust_remote_code": "false"}).trust_remote_code is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"dtype": "float8"}, "hf: --model-arg dtype='float8' is not one of auto, float32, bfloat16, float16"),
        ({"device": "gpu"}, "hf: --model-arg device='gpu' is not one of cpu, cuda, cuda:N, auto"),
        ({"device": "cuda:x"}, "device='cuda:x' is not one of"),
        ({"device_map": "everywhere"}, "device_map='everywhere' is not one of auto, balanced, balanced_low_0"),
        ({"attn_implementation": "flash"}, "attn_implementation='flash' is not one of eager, sdpa, flash_attention_2"),
        ({"max_batch_size": "0"}, "max_batch_size='0' must be an integer >= 1"),
        ({"max_batch_size": "2.5"}, "max_batch_size='2.5' must be an integer >= 1"),
        ({"max_batch_size": "²"}, "max_batch_size='²' must be an integer >= 1"),
        ({"trust_remote_code": "yes"}, "trust_remote_code='yes' is not one of true, false"),
        ({"device": "cpu", "device_map": "auto"}, "device and device_map exclude each other"),
        ({"max_tokens": "5"}, "hf: unknown --model-arg 'max_tokens'; accepted keys: " + ", ".join(HF_ARG_KEYS)),
    ],
)
def test_bad_args_fail_with_one_line(args: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_model_args(args)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_a_backend_accepts_only_its_keys() -> None:
    keys = ("dtype", "max_batch_size")
    assert parse_model_args({"dtype": "float16"}, backend="tiny", keys=keys).dtype == "float16"
    with pytest.raises(
        ValueError, match=r"^tiny: unknown --model-arg 'device_map'; accepted keys: dtype, max_batch_size$"
    ):
        parse_model_args({"device_map": "auto"}, backend="tiny", keys=keys)


@given(st.dictionaries(st.sampled_from(HF_ARG_KEYS), st.text(max_size=12), max_size=4))
def test_any_value_parses_or_fails_with_one_line_naming_its_key(args: dict[str, str]) -> None:
    try:
        parse_model_args(args)
    except ValueError as exc:
        message = str(exc)
        assert "\n" not in message
        assert any(key in message for key in args)
