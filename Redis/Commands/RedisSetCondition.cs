namespace Observability.Redis;

/// <summary>When <c>SET</c> writes: always, only if the key is new (<c>NX</c>), or only if it exists (<c>XX</c>).</summary>
public enum RedisSetCondition
{
    Always,
    IfNotExists,
    IfExists,
}
