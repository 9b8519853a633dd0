using Resolver.Core.Pipeline;
using Resolver.Protocol;

namespace Resolver.Core.Admission;

/// <summary>Turns an admission verdict into a stage result: pass, send nothing, or REFUSED.</summary>
internal static class AdmissionAnswer
{
    public static int For(AdmissionVerdict verdict, in QueryRequest request, Span<byte> response) => verdict switch
    {
        AdmissionVerdict.Admit => StageResult.Pass,
        AdmissionVerdict.Drop => StageResult.Drop,
        _ => ResponseWriter.WriteError(request, DnsResponseCode.Refused, response),
    };
}
