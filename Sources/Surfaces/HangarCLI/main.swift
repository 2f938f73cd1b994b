import DuckDB
print(Database.libraryVersion)
