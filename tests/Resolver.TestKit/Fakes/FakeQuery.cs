using System.Net;
using Resolver.Protocol;

namespace Resolver.TestKit.Fakes;

/// <summary>A query as the fake server received it.</summary>
public sealed record FakeQuery(DnsMessage Message, byte[] Bytes, IPEndPoint Client, bool OverTcp)
{
    public bool HasOpt => Message.Edns is not null;

    public override string ToString() =>
        $"{(OverTcp ? "TCP" : "UDP")} from {Client} id={Message.Id} opt={HasOpt}: {Convert.ToHexString(Bytes)}";
}

/// <summary>
/// One packet the fake server sends for a query. Over UDP it is a datagram, sent from the
/// server's port or, with <see cref="FromOtherPort"/>, from another port of the same address
/// (a spoof that guessed everything but the port). Over TCP it is written as one framed message.
/// </summary>
public sealed record FakeReply(byte[] Bytes)
{
    public bool FromOtherPort { get; init; }

    /// <summary>Pause before sending this packet.</summary>
    public TimeSpan DelayBefore { get; init; }

    /// <summary>TCP: write <see cref="Bytes"/> as they are, without the length prefix (to fake broken framing).</summary>
    public bool Unframed { get; init; }

    /// <summary>TCP: close the connection after this packet.</summary>
    public bool ThenClose { get; init; }
}
