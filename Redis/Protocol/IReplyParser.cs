namespace Observability.Redis.Protocol;

/// <summary>Turns one non-error reply frame into a command's result, reading the receive buffer in place.</summary>
internal interface IReplyParser<out T>
{
    T Parse(in RespFrame frame, RespLimits limits);
}
