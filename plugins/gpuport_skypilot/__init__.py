"""The ``skypilot`` transformer: RunPod offers as SkyPilot's RunPod catalogue (vms.csv)."""
