"""Compatibility import path: ``from gpuport_collectors.collectors.runpod import RunPodCollector``."""

from gpuport_runpod.collector import RunPodCollector

__all__ = ["RunPodCollector"]
