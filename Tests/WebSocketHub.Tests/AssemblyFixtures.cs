using Observability.TestInfrastructure.Redis;
using Observability.WebSocketHub.Tests;

[assembly: AssemblyFixture(typeof(RedisServerFixture))]
[assembly: AssemblyFixture(typeof(WorkflowsDatabaseFixture))]
