"""Regions: kabupaten → kecamatan → desa/kelurahan: codes, boundaries, population, remoteness."""
