// Socratic's host: web UI + API + SignalR hub, Hangfire self-play workers, or both (Socratic:Host:Mode).
using Socratic.Web.Auth;
using Socratic.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder
    .AddSocraticOptions()
    .AddSocraticDatabase()
    .AddSocraticAuth()
    .AddSocraticPlay()
    .AddSocraticHangfire()
    .AddSocraticLive()
    .AddSocraticUi();

var app = builder.Build();
app.UseSocratic();
app.Run();

/// <summary>Entry point type, public for WebApplicationFactory in tests.</summary>
public partial class Program;
