import os

from hypothesis import HealthCheck, settings

# "ci" explores more; "dev" keeps the local loop quick. Choose with HYPOTHESIS_PROFILE.
settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
