// Debian's Chromium driven by Playwright (its bundled driver; no browser download). Screenshots go to
// test-output/ at the repository root so a person can look at the pages.
using Microsoft.Playwright;

namespace Socratic.Web.Tests.Infrastructure;

public static class Browser
{
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("PLAYWRIGHT_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new FileNotFoundException("Chromium is needed for browser tests: apt-get install -y chromium (or set PLAYWRIGHT_CHROMIUM).", ChromiumPath);
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }

    /// <summary>Opens <paramref name="path"/>, is sent to the sign-in page, signs in and lands back on <paramref name="path"/>.</summary>
    public static async Task SignInAsync(IPage page, Uri address, string email, string password, string path)
    {
        await page.GotoAsync(new Uri(address, path).ToString());
        if (!page.Url.Contains("/signin", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Expected {path} to send an anonymous visitor to /signin; it showed {page.Url}.");
        }

        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#signin-submit");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    public static string ScreenshotPath(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Socratic.sln")))
            {
                var output = Directory.CreateDirectory(Path.Combine(dir.FullName, "test-output"));
                return Path.Combine(output.FullName, name);
            }
        }

        return Path.Combine(Path.GetTempPath(), name);
    }
}
