"""Infrastructure inventory: towers/BTS sites, backhaul links, access points, public facilities."""
