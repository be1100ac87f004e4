"""The accelerate launch configs under configs/accelerate/ parse with accelerate's own config loader."""


import pytest

from seapt.resources import shipped

CONFIGS = shipped("configs", "accelerate")


@pytest.mark.parametrize("path", sorted(CONFIGS.glob("*.yaml")), ids=lambda p: p.name)
def test_accelerate_config_loads(path):
    from accelerate.commands.config.config_args import ClusterConfig

    cfg = ClusterConfig.from_yaml_file(str(path))
    assert cfg.compute_environment.value == "LOCAL_MACHINE"
    assert cfg.distributed_type.value in {"MULTI_GPU", "FSDP", "DEEPSPEED"}
    assert cfg.num_processes >= 1


def test_there_are_ddp_fsdp_and_deepspeed_examples():
    names = {p.stem for p in CONFIGS.glob("*.yaml")}
    assert {"ddp", "fsdp"} <= names and any("deepspeed" in n for n in names)
