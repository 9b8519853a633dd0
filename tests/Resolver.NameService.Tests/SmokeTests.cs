namespace Resolver.NameService.Tests;
public class SmokeTests { [Test] public void Builds() => Assert.Pass(); }
