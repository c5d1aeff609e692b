from typing import Any

from gpuport_collectors import hookimpl

from .transformer import CsvTransformer


@hookimpl
def gpuport_register_transformers(register: Any) -> None:
    register("csv", CsvTransformer)
