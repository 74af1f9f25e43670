"""DuckDB: schema, migrations, loading, views. Knows nothing of Chinese."""
