"""The providers gpuhunt knows, how we name them, and the environment they read.

Kept here rather than read from gpuhunt so that loading a config never imports gpuhunt;
a test checks these lists against gpuhunt's own ``OFFLINE_PROVIDERS`` / ``ONLINE_PROVIDERS``.
"""

from __future__ import annotations

#: Published in gpuhunt's offline catalogue (one CSV per provider, no credentials needed).
OFFLINE_PROVIDERS: tuple[str, ...] = (
    "aws",
    "azure",
    "verda",
    "gcp",
    "lambdalabs",
    "nebius",
    "oci",
    "runpod",
    "cloudrift",
)

#: Queried by gpuhunt at call time, with credentials from the environment where needed.
ONLINE_PROVIDERS: tuple[str, ...] = (
    "crusoe",
    "daytona",
    "digitalocean",
    "hotaisle",
    "jarvislabs",
    "lium",
    "seeweb",
    "vastai",
    "vultr",
)

#: Every offline provider but runpod, which our own ``runpod`` collector covers better.
DEFAULT_PROVIDERS: tuple[str, ...] = tuple(p for p in OFFLINE_PROVIDERS if p != "runpod")

#: gpuhunt's provider name -> the ``provider`` field of our instances (the same for every
#: collector: ``RunPod`` here is ``RunPod`` from the runpod collector too).
DISPLAY_NAMES: dict[str, str] = {
    "aws": "AWS",
    "azure": "Azure",
    "cloudrift": "CloudRift",
    "crusoe": "Crusoe",
    "daytona": "Daytona",
    "digitalocean": "DigitalOcean",
    "gcp": "GCP",
    "hotaisle": "Hot Aisle",
    "jarvislabs": "JarvisLabs",
    "lambdalabs": "Lambda",
    "lium": "Lium",
    "nebius": "Nebius",
    "oci": "OCI",
    "runpod": "RunPod",
    "seeweb": "Seeweb",
    "vastai": "Vast.ai",
    "verda": "Verda",
    "vultr": "Vultr",
}

#: Credentials gpuhunt's online providers read from the environment. Their values are
#: masked in every log line and problem while gpuhunt runs.
CREDENTIAL_ENV: dict[str, tuple[str, ...]] = {
    "crusoe": ("CRUSOE_ACCESS_KEY", "CRUSOE_SECRET_KEY", "CRUSOE_PROJECT_ID"),
    "daytona": ("DAYTONA_API_KEY",),
    "digitalocean": ("DIGITAL_OCEAN_API_KEY",),
    "hotaisle": ("HOTAISLE_API_KEY", "HOTAISLE_TEAM_HANDLE"),
    "jarvislabs": ("JL_API_KEY",),
    "seeweb": ("SEEWEB_API_TOKEN",),
    "vultr": ("VULTR_API_KEY",),
}

KNOWN_PROVIDERS: tuple[str, ...] = OFFLINE_PROVIDERS + ONLINE_PROVIDERS
assert set(DISPLAY_NAMES) == set(KNOWN_PROVIDERS)
