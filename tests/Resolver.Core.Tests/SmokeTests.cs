namespace Resolver.Core.Tests;
public class SmokeTests { [Test] public void Builds() => Assert.Pass(); }
