using Resolver.Protocol;

namespace Resolver.Client.Transport;

/// <summary>
/// A packet that passed <see cref="ReplyMatcher"/>, parsed where it was received (the pooled
/// socket's receive buffer or the TCP read buffer) before that buffer is handed back, so the
/// answer is never copied. The parsed message owns its data, so nothing here points into the buffer.
/// </summary>
/// <param name="Size">Octets of the accepted message (without the TCP length prefix).</param>
/// <param name="Header">The header, read while matching.</param>
/// <param name="Response">The parsed message; null when it could not be parsed, or when a truncated UDP answer was not parsed.</param>
/// <param name="ParseError">Why <paramref name="Response"/> is null for an answer that was parsed.</param>
/// <param name="Failure">Set when no packet was accepted (a timeout, a network error): the attempt's end as a value, not an exception.</param>
internal readonly record struct AcceptedReply(int Size, DnsHeader Header, DnsMessage? Response, DnsFormatException? ParseError,
    UpstreamFailure? Failure = null)
{
    /// <summary>
    /// RFC 6891 §7: a server without EDNS may answer FORMERR, NOTIMP or BADVERS to a query with
    /// OPT, or something that does not parse.
    /// </summary>
    public bool ShowsNoEdnsSupport => Failure is null && (Response is null
        || Response.ResponseCode is DnsResponseCode.FormErr or DnsResponseCode.NotImp or DnsResponseCode.BadVers);

    /// <summary>Parses <paramref name="reply"/> in place; a broken answer becomes an outcome, not an exception.</summary>
    public static AcceptedReply Parse(ReadOnlySpan<byte> reply, DnsHeader header, DnsQuestion asked)
    {
        try
        {
            return new AcceptedReply(reply.Length, header, DnsMessage.Parse(reply, asked), null);
        }
        catch (DnsFormatException error)
        {
            return new AcceptedReply(reply.Length, header, null, error);
        }
    }

    /// <summary>
    /// A UDP answer that is asked again over TCP: TC=1 (RFC 1035 §4.2.1), or longer than the receive space (cut by
    /// the kernel). Only its header matters.
    /// </summary>
    public static AcceptedReply Truncated(int size, DnsHeader header) => new(size, header, null, null);

    /// <summary>No packet was accepted before the deadline, or the network refused: nothing to parse.</summary>
    public static AcceptedReply Failed(UpstreamFailureKind kind, string message) => new(0, default, null, null, new UpstreamFailure(kind, message));

    /// <summary>True for <see cref="Truncated"/>: nothing was parsed, and nothing failed to parse.</summary>
    public bool NeedsTcp => Response is null && ParseError is null && Failure is null;
}
