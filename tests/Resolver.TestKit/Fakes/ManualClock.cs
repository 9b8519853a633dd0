namespace Resolver.TestKit.Fakes;

/// <summary>
/// A clock tests move by hand. Only the readings are manual: timers (Task.Delay, CancellationTokenSource timeouts)
/// still run on real time, so a test can age cache entries by a day in no time while upstream timeouts behave
/// normally. Where a test needs timers that wait for the test too, use FakeTimeProvider
/// (Microsoft.Extensions.TimeProvider.Testing).
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private readonly DateTimeOffset _utc = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private long _ticks = TimeSpan.FromDays(1).Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => _utc.AddTicks(Interlocked.Read(ref _ticks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
