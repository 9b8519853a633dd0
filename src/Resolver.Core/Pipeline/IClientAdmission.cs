using System.Net;

namespace Resolver.Core.Pipeline;

/// <summary>What admission decides for a client address.</summary>
public enum AdmissionVerdict
{
    Admit,
    Refuse,
    Drop,
}

/// <summary>
/// A stage that decides by the client's address alone (access control, rate limiting).
/// <see cref="QueryPipeline"/> asks it before it reads the message, so a dropped or
/// rate-limited client gets nothing at all, not even a FORMERR or NOTIMP for garbage: a
/// spoofed flood must not turn the resolver into a reflector.
/// </summary>
public interface IClientAdmission
{
    AdmissionVerdict Admit(IPAddress client);
}
