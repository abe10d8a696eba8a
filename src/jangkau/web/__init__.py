"""Public pages: the regency map, village and kecamatan pages, about the data."""
