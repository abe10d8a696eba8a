"""Reading and writing region files (no Django): GeoJSON, GeoPackage, zipped Shapefile, CSV."""
