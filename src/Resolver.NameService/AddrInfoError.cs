namespace Resolver.NameService;

/// <summary>
/// getaddrinfo/getnameinfo error codes with glibc's numeric values (netdb.h), so a caller
/// printing the number sees what a C program on Linux would see.
/// </summary>
public enum AddrInfoError
{
    /// <summary>Not an error: the call succeeded.</summary>
    Success = 0,
    BadFlags = -1,      // EAI_BADFLAGS
    NoName = -2,        // EAI_NONAME
    Again = -3,         // EAI_AGAIN
    Fail = -4,          // EAI_FAIL
    NoData = -5,        // EAI_NODATA
    Family = -6,        // EAI_FAMILY
    SockType = -7,      // EAI_SOCKTYPE
    Service = -8,       // EAI_SERVICE
    AddrFamily = -9,    // EAI_ADDRFAMILY
    Memory = -10,       // EAI_MEMORY
    System = -11,       // EAI_SYSTEM
    Overflow = -12,     // EAI_OVERFLOW
    InProgress = -100,  // EAI_INPROGRESS
    Canceled = -101,    // EAI_CANCELED
    NotCanceled = -102, // EAI_NOTCANCELED
    AllDone = -103,     // EAI_ALLDONE
    Interrupted = -104, // EAI_INTR
    IdnEncode = -105,   // EAI_IDN_ENCODE
}

/// <summary>gai_strerror with glibc's exact (untranslated) messages.</summary>
public static class AddrInfoErrorText
{
    /// <summary>
    /// The message glibc's gai_strerror returns (sysdeps/posix/gai_strerror-strs.h);
    /// "Unknown error" for any other code, as glibc does.
    /// </summary>
    public static string GaiStrError(int code) => (AddrInfoError)code switch
    {
        AddrInfoError.AddrFamily => "Address family for hostname not supported",
        AddrInfoError.Again => "Temporary failure in name resolution",
        AddrInfoError.BadFlags => "Bad value for ai_flags",
        AddrInfoError.Fail => "Non-recoverable failure in name resolution",
        AddrInfoError.Family => "ai_family not supported",
        AddrInfoError.Memory => "Memory allocation failure",
        AddrInfoError.NoData => "No address associated with hostname",
        AddrInfoError.NoName => "Name or service not known",
        AddrInfoError.Service => "Servname not supported for ai_socktype",
        AddrInfoError.SockType => "ai_socktype not supported",
        AddrInfoError.System => "System error",
        AddrInfoError.InProgress => "Processing request in progress",
        AddrInfoError.Canceled => "Request canceled",
        AddrInfoError.NotCanceled => "Request not canceled",
        AddrInfoError.AllDone => "All requests done",
        AddrInfoError.Interrupted => "Interrupted by a signal",
        AddrInfoError.IdnEncode => "Parameter string not correctly encoded",
        // glibc's text; the Linux man page's "Argument buffer overflow" is a description, not the string.
        AddrInfoError.Overflow => "Result too large for supplied buffer",
        _ => "Unknown error",
    };

    /// <inheritdoc cref="GaiStrError(int)"/>
    public static string GaiStrError(AddrInfoError code) => GaiStrError((int)code);
}
