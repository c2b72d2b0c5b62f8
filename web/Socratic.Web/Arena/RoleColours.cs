// One colour per role name, stable within a page, so a role reads the same across every turn and episode shown.
// Colours are picked for contrast on the dark theme.
namespace Socratic.Web.Arena;

public sealed class RoleColours
{
    private static readonly string[] Palette = ["#4fc3f7", "#ffb74d", "#ba68c8", "#81c784", "#f06292"];
    private readonly Dictionary<string, string> _assigned = [];

    public string For(string role)
    {
        lock (_assigned)
        {
            if (!_assigned.TryGetValue(role, out var c))
            {
                c = _assigned[role] = Palette[_assigned.Count % Palette.Length];
            }

            return c;
        }
    }
}
