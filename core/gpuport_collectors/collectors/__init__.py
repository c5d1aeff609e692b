"""Import paths kept for the seed API (``gpuport_collectors.collectors.runpod``).

The core never imports these itself; they re-export classes from the plugin packages.
"""
