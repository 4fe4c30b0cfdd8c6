using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Redis;

[assembly: AssemblyFixture(typeof(RedisServerFixture))]
[assembly: AssemblyFixture(typeof(PostgresServerFixture))]
