// Sums the runtime's GC AllocationTick events of a .nettrace by type (each event stands for about
// 100 KB allocated of that type), and, when the trace has stacks, by the first frame in Resolver's
// own code: where the bytes of a cache miss go. Usage: alloc-report TRACE.nettrace [QUERIES]
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: alloc-report TRACE.nettrace [QUERIES]");
    return 64;
}
long queries = args.Length > 1 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
var byType = new Dictionary<string, long>();
var byFrame = new Dictionary<string, long>();
long total = 0;
using (var log = TraceLog.OpenOrConvert(TraceLog.CreateFromEventPipeDataFile(args[0])))
{
    foreach (var data in log.Events)
    {
        if (data is not GCAllocationTickTraceData tick)
            continue;
        long bytes = tick.AllocationAmount64;
        total += bytes;
        string type = tick.TypeName ?? "?";
        byType[type] = byType.GetValueOrDefault(type) + bytes;
        string frame = "(no stack)";
        for (var call = data.CallStack(); call is not null; call = call.Caller)
        {
            string name = call.CodeAddress.FullMethodName;
            if (name.StartsWith("Resolver.", StringComparison.Ordinal) || name.Contains("Polly", StringComparison.Ordinal))
            {
                frame = name;
                break;
            }
        }
        byFrame[frame] = byFrame.GetValueOrDefault(frame) + bytes;
    }
}
Console.WriteLine($"sampled allocation: {total:N0} B{(queries > 0 ? $", {total / (double)queries:N0} B per query" : "")}");
Print("by type", byType);
Print("by the first frame in Resolver's code or Polly", byFrame);
return 0;

void Print(string title, Dictionary<string, long> table)
{
    Console.WriteLine(title + ":");
    foreach (var (key, bytes) in table.OrderByDescending(p => p.Value).Take(25))
        Console.WriteLine($"  {100.0 * bytes / Math.Max(total, 1),5:F1} %  {(queries > 0 ? bytes / (double)queries : bytes),9:N0} {(queries > 0 ? "B/query" : "B")}  {key}");
}
