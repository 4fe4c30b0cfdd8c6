using Observability.TestInfrastructure.Postgres;

[assembly: AssemblyFixture(typeof(PostgresServerFixture))]
