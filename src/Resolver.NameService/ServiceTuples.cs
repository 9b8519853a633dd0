namespace Resolver.NameService;

/// <summary>One (socket type, protocol, port) a result address is paired with.</summary>
internal readonly record struct ServiceTuple(SockType SockType, IpProtocol Protocol, int Port);

/// <summary>
/// The service half of getaddrinfo, following glibc's gaih_inet and its socket-type table:
/// which socket types the hints allow, and the port for each from the services database.
/// </summary>
internal static class ServiceTuples
{
    private readonly record struct TypeProto(SockType SockType, IpProtocol Protocol, bool AnyProtocol, bool NoService, bool Default, string Name);

    // glibc's gaih_inet_typeproto, in its order: the order of results with socktype 0 comes from here.
    private static readonly TypeProto[] Table =
    {
        new(SockType.Stream, IpProtocol.Tcp, false, false, true, "tcp"),
        new(SockType.Dgram, IpProtocol.Udp, false, false, true, "udp"),
        new(SockType.Dccp, IpProtocol.Dccp, false, false, false, "dccp"),
        new(SockType.Dgram, IpProtocol.UdpLite, false, false, false, "udplite"),
        new(SockType.Stream, IpProtocol.Sctp, false, false, false, "sctp"),
        new(SockType.SeqPacket, IpProtocol.Sctp, false, false, false, "sctp"),
        new(SockType.Raw, IpProtocol.Any, true, true, true, "raw"),
    };

    /// <summary>
    /// The tuples for a service (null: none given; a number; or a name), or the error:
    /// EAI_SOCKTYPE for a socket type no table row has, EAI_SERVICE for a protocol without one,
    /// for a service with SOCK_RAW, or for a name the database lacks for the allowed protocols.
    /// </summary>
    public static (AddrInfoError Error, List<ServiceTuple> Tuples) Resolve(
        string? serviceName, int? servicePort, AddrInfoHints hints, ServicesFile services)
    {
        var tuples = new List<ServiceTuple>();
        TypeProto? chosen = null;
        if (hints.SockType != SockType.Any || hints.Protocol != IpProtocol.Any)
        {
            foreach (TypeProto tp in Table)
            {
                if (hints.SockType != SockType.Any && hints.SockType != tp.SockType) continue;
                if (hints.Protocol != IpProtocol.Any && !tp.AnyProtocol && hints.Protocol != tp.Protocol) continue;
                chosen = tp;
                break;
            }
            if (chosen is null)
                return (hints.SockType != SockType.Any ? AddrInfoError.SockType : AddrInfoError.Service, tuples);
        }

        bool hasService = serviceName is not null || servicePort is not null;
        if (hasService && chosen is { NoService: true }) return (AddrInfoError.Service, tuples);

        if (serviceName is not null)
        {
            if (chosen is TypeProto one)
            {
                int? port = services.FindPort(serviceName, one.Name);
                if (port is null) return (AddrInfoError.Service, tuples);
                tuples.Add(new ServiceTuple(one.SockType, ProtocolOf(one, hints), port.Value));
                return (AddrInfoError.Success, tuples);
            }
            foreach (TypeProto tp in Table)
            {
                if (tp.NoService) continue;
                int? port = services.FindPort(serviceName, tp.Name);
                if (port is not null) tuples.Add(new ServiceTuple(tp.SockType, tp.Protocol, port.Value));
            }
            return (tuples.Count == 0 ? AddrInfoError.Service : AddrInfoError.Success, tuples);
        }

        int number = servicePort ?? 0;
        if (chosen is TypeProto only)
        {
            tuples.Add(new ServiceTuple(only.SockType, ProtocolOf(only, hints), number));
            return (AddrInfoError.Success, tuples);
        }
        foreach (TypeProto tp in Table)
            if (tp.Default) tuples.Add(new ServiceTuple(tp.SockType, tp.Protocol, number));
        return (AddrInfoError.Success, tuples);
    }

    private static IpProtocol ProtocolOf(TypeProto tp, AddrInfoHints hints) => tp.AnyProtocol ? hints.Protocol : tp.Protocol;
}
