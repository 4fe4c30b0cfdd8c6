using System.Text;

namespace Observability.Dashboard.Tests;

/// <summary>Reads a protobuf <c>google.rpc.Status</c> (code = 1, message = 2) independently of the dashboard's own reader.</summary>
internal static class RpcStatus
{
    public static (int Code, string Message) Parse(byte[] bytes)
    {
        int code = 0, i = 0;
        var message = string.Empty;
        while (i < bytes.Length)
        {
            var tag = bytes[i++];
            var length = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = bytes[i++];
                length |= (b & 0x7F) << shift;
                if (b < 0x80)
                {
                    break;
                }
            }

            if (tag == 0x08)
            {
                code = length;
            }
            else if (tag == 0x12)
            {
                message = Encoding.UTF8.GetString(bytes, i, length);
                i += length;
            }
            else
            {
                throw new InvalidOperationException($"Unexpected tag {tag} in google.rpc.Status.");
            }
        }

        return (code, message);
    }
}
