using Observability.Redis.Protocol;

namespace Observability.Redis.Connection;

/// <summary>Receives out-of-band frames (RESP3 pushes, pub/sub messages) while the receive buffer holds them.</summary>
internal delegate void PushHandler(in RespFrame frame);
