"""Every number the app assumes when it turns the database into a planning instance.

They are shown on each result page and in the printable report, and documented in
``docs/planning-app.md``. They are planning assumptions, not facts: change them here (one
place) and say why.
"""

from __future__ import annotations

#: A fiber route is longer than the straight line: great-circle distance × this factor
#: (roads and rivers wind; ITU's planning platform uses 1.1 on road-network paths, which are
#: already longer than the straight line).
FIBER_DETOUR_FACTOR = 1.4

#: An existing 2G/3G tower upgraded to 4G serves the villages whose centre lies within this
#: distance (km) of it, and its own village. A rural 4G macro cell at 900 MHz reaches a few
#: kilometres over forest; 5 km is a conservative round figure.
UPGRADE_RADIUS_KM = 5.0

#: A repeater needs a donor signal: the village already has weak 4G, or an on-air 4G/5G tower
#: stands within this distance (km) of the village centre.
REPEATER_DONOR_KM = 15.0

#: A repeater serves one hamlet (the cost table's unit): at most this many people.
REPEATER_PEOPLE = 500

#: A satellite terminal with public Wi-Fi at the village office serves at most this many people
#: (a 1 TB/month plan shared at about 5 GB per user and month).
SATELLITE_TERMINAL_PEOPLE = 200

#: A microwave hop longer than this (km) is not offered (the largest hop class of the cost
#: table is "longer than 30 km"; beyond 50 km a single hop is rarely engineered).
MICROWAVE_MAX_HOP_KM = 50.0

#: Hop length bounds (km) of the small and medium microwave classes of the cost table.
MICROWAVE_SMALL_MAX_KM = 15.0
MICROWAVE_MEDIUM_MAX_KM = 30.0

#: Frequency (MHz) of a backhaul microwave hop, for the Fresnel zone (6–8 GHz bands carry
#: long rural hops).
MICROWAVE_FREQ_MHZ = 7000.0

#: Antenna height (m) above ground at both ends of a microwave hop (a new 4G tower and its
#: donor).
MICROWAVE_ANTENNA_HEIGHT_M = 40.0

#: Effective Earth radius factor k for the line-of-sight check (standard atmosphere).
MICROWAVE_K_FACTOR = 4.0 / 3.0

#: Share of the first Fresnel zone that must be clear of the terrain.
MICROWAVE_FRESNEL_CLEARANCE = 0.6

#: Step (m) of the terrain profile sampled along a hop.
MICROWAVE_PROFILE_STEP_M = 90.0

#: Cost table items the planner uses, by role. The first name found in the table is used.
COST_ITEMS = {
    "new_4g_site": ("new_4g_site",),
    "upgrade_site": ("upgrade_site",),
    "repeater": ("repeater",),
    "satellite_terminal_leo": ("satellite_terminal",),
    "satellite_terminal_geo": ("satellite_terminal_geo",),
    "fiber_km": ("backhaul_fiber_km",),
    "fiber_site": ("backhaul_fiber_site_equipment",),
    "microwave_small": ("backhaul_microwave_hop",),
    "microwave_medium": ("backhaul_microwave_hop_medium", "backhaul_microwave_hop"),
    "microwave_large": ("backhaul_microwave_hop_large", "backhaul_microwave_hop"),
    "satellite_backhaul": ("backhaul_satellite",),
}

#: A budget per year used as the starting value of a new scenario (IDR). Illustrative: about
#: seven new towers with satellite backhaul a year at the default cost table; not a budget
#: decision.
DEFAULT_BUDGET_PER_YEAR_IDR = 20_000_000_000

#: First and last plan year of a new scenario.
DEFAULT_YEAR_FROM = 2026
DEFAULT_YEAR_TO = 2030

#: Budget multipliers of the cost curve (each a separate solve).
DEFAULT_CURVE_SCALES = (0.25, 0.5, 1.0, 1.5, 2.0)

#: Seconds allowed for each solve (the plan and each cost-curve point).
DEFAULT_TIME_LIMIT_S = 20
