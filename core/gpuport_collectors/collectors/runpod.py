"""Seed-API import path for :class:`gpuport_runpod.collector.RunPodCollector`."""

from gpuport_runpod.collector import RunPodCollector

__all__ = ["RunPodCollector"]
