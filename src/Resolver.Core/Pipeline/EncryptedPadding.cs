using Resolver.Protocol.Edns;

namespace Resolver.Core.Pipeline;

/// <summary>
/// When an answer is padded: over DNS over TLS and DNS over HTTPS, for a client whose query carried a Padding option
/// (RFC 7830 §3: a responder pads only then), to blocks of 468 octets (RFC 8467 §4.1). Clear-text transports are
/// never padded: there is nothing to hide a size from, and UDP answers must stay within the client's payload size.
/// Every answer of the pipeline goes through here, whichever stage wrote it (cache, zone, forwarder, an error).
/// </summary>
internal static class EncryptedPadding
{
    public static bool Applies(in QueryRequest request) =>
        request.Info.Edns.Padding && request.Context.Transport is ClientTransport.Tls or ClientTransport.Https;

    /// <summary>The length to send: <paramref name="length"/> padded when it applies, else unchanged (0 stays 0).</summary>
    public static int Apply(in QueryRequest request, Span<byte> response, int length)
    {
        if (length <= 0 || !Applies(request))
            return length;
        // The response limit is the transport's: 65,535 octets over TLS and HTTPS.
        int capacity = Math.Min(response.Length, request.ResponseLimit);
        if (length > capacity)
            return length;
        return MessagePadding.Pad(response[..capacity], length, MessagePadding.ResponseBlock);
    }
}
