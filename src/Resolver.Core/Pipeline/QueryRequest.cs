using Resolver.Protocol;

namespace Resolver.Core.Pipeline;

/// <summary>
/// One query as the pipeline's stages see it, read once by <see cref="QueryPipeline"/>.
/// A struct over the transport's buffer: building it allocates nothing.
/// </summary>
public readonly struct QueryRequest
{
    /// <summary>Classic DNS over UDP without EDNS (RFC 1035 §4.2.1).</summary>
    public const int ClassicUdpLimit = 512;

    /// <summary>Largest DNS message (the TCP length prefix is 16 bits).</summary>
    public const int MaxMessageSize = ushort.MaxValue;

    public QueryRequest(ReadOnlyMemory<byte> query, in QueryInfo info, QueryContext context, ushort advertisedUdpSize)
    {
        Query = query;
        Info = info;
        Context = context;
        AdvertisedUdpSize = advertisedUdpSize;
        ResponseLimit = ComputeLimit(info.Edns, context.Transport, advertisedUdpSize);
    }

    /// <summary>Set when the query is traced for the query log (<see cref="IQueryObserver"/>); null otherwise.</summary>
    public QueryTrace? Trace { get; init; }

    /// <summary>The message as received.</summary>
    public ReadOnlyMemory<byte> Query { get; }

    public QueryInfo Info { get; }

    public QueryContext Context { get; }

    /// <summary>The UDP payload size we put in our OPT record.</summary>
    public ushort AdvertisedUdpSize { get; }

    /// <summary>How many bytes the response may take before it must be truncated.</summary>
    public int ResponseLimit { get; }

    /// <summary>
    /// The question name exactly as the client wrote it (uncompressed wire form, case kept).
    /// The pipeline only admits queries whose question name is not compressed, so it is a
    /// slice of the message.
    /// </summary>
    public ReadOnlyMemory<byte> QuestionName => Query.Slice(Info.QuestionOffset, Info.NameLength);

    public RecordType Type => Info.Type;

    public RecordClass Class => Info.Class;

    public bool HasEdns => Info.Edns.Present;

    public bool DnssecOk => Info.Edns.Present && Info.Edns.DnssecOk;

    public bool CheckingDisabled => Info.Header.CheckingDisabled;

    public bool RecursionDesired => Info.Header.RecursionDesired;

    /// <summary>The question name as an object, for stages that need one (zones, forwarding).</summary>
    public DnsName GetQuestionName() => DnsName.FromWire(QuestionName.Span);

    private static int ComputeLimit(EdnsQueryInfo edns, ClientTransport transport, ushort advertised)
    {
        // Only UDP has a size limit (RFC 1035 §4.2.1); TCP, TLS and HTTPS carry any message.
        if (transport != ClientTransport.Udp)
            return MaxMessageSize;
        if (!edns.Present)
            return ClassicUdpLimit;
        // RFC 6891 §6.2.3/§6.2.5: sizes below 512 mean 512; never send more than we advertise.
        int clientSize = Math.Max((int)edns.UdpPayloadSize, ClassicUdpLimit);
        return Math.Min(clientSize, Math.Max((int)advertised, ClassicUdpLimit));
    }
}
