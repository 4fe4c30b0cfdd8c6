using Observability.TestInfrastructure.Redis;

[assembly: AssemblyFixture(typeof(RedisServerFixture))]
