from typing import Any

from gpuport_collectors import hookimpl

from .transformer import JsonTransformer


@hookimpl
def gpuport_register_transformers(register: Any) -> None:
    register("json", JsonTransformer)
