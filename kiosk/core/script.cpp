#include "kiosk/core/script.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <sstream>

namespace kiosk::core {

namespace {

std::string trim(std::string text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

// Splits off the first word.
std::pair<std::string, std::string> head(const std::string& text) {
    const auto space = text.find_first_of(" \t");
    if (space == std::string::npos) return {text, {}};
    return {text.substr(0, space), trim(text.substr(space + 1))};
}

}  // namespace

std::expected<std::vector<ScriptCommand>, std::string> parseScript(const std::string& text) {
    std::vector<ScriptCommand> commands;
    std::istringstream lines(text);
    std::string raw;
    int number = 0;
    while (std::getline(lines, raw)) {
        ++number;
        // '#' starts a comment, except in `type` and `expect spoken` text after the command
        // word (a typed '#' is rare, but a comment after a tap is common).
        std::string line = trim(raw);
        if (line.empty() || line.front() == '#') continue;
        auto [word, rest] = head(line);
        const bool keepsHash = word == "type" || word == "replace-in-file" || word == "wait-for" || (word == "expect" && (rest.starts_with("spoken") || rest.starts_with("not-spoken") || rest.starts_with("field") ||
                                                                rest.starts_with("on-screen") || rest.starts_with("not-on-screen")));
        if (!keepsHash) {
            if (const auto hash = rest.find('#'); hash != std::string::npos) rest = trim(rest.substr(0, hash));
        }
        ScriptCommand command;
        command.line = number;
        auto fail = [&](const std::string& why) {
            return std::unexpected("line " + std::to_string(number) + ": " + why);
        };
        auto needs = [&](const std::string& what) -> std::optional<std::string> {
            if (rest.empty()) return "'" + word + "' needs " + what;
            return std::nullopt;
        };
        auto numberOf = [&](const std::string& textValue) -> std::optional<double> {
            double value = 0;
            const auto [end, ec] = std::from_chars(textValue.data(), textValue.data() + textValue.size(), value);
            if (ec != std::errc{} || end != textValue.data() + textValue.size() || value < 0) return std::nullopt;
            return value;
        };
        using K = ScriptCommand::Kind;
        if (word == "tap" || word == "type" || word == "key" || word == "screenshot") {
            if (auto problem = needs(word == "tap" ? "a control id" : word == "type" ? "text" : word == "key" ? "a key name" : "a file name")) return fail(*problem);
            command.kind = word == "tap" ? K::Tap : word == "type" ? K::Type : word == "key" ? K::Key : K::Screenshot;
            command.argument = rest;
        } else if (word == "key+") {
            auto [modifier, key] = head(rest);
            if (modifier.empty() || key.empty()) return fail("'key+' needs a modifier and a key, like: key+ Alt F4");
            command.kind = K::KeyWithModifier;
            command.modifier = modifier;
            command.argument = key;
        } else if (word == "wait" || word == "advance") {
            auto value = numberOf(rest);
            if (!value) return fail("'" + word + "' needs a number of " + (word == "wait" ? "milliseconds" : "seconds"));
            command.kind = word == "wait" ? K::Wait : K::Advance;
            command.number = *value;
        } else if (word == "settle") {
            command.kind = K::Settle;
        } else if (word == "touch" || word == "swipe") {
            const std::size_t count = word == "touch" ? 2 : 4;
            std::istringstream values(rest);
            std::string value;
            while (values >> value) {
                auto parsed = numberOf(value);
                if (!parsed || *parsed > 1) return fail("'" + word + "' takes points as fractions of the window, from 0 to 1, like: " + (count == 2 ? "touch 0.5 0.9" : "swipe 0.5 0.8 0.5 0.2"));
                command.points.push_back(*parsed);
            }
            if (command.points.size() != count) return fail("'" + word + "' needs " + std::to_string(count) + " numbers from 0 to 1");
            command.kind = word == "touch" ? K::Touch : K::Swipe;
        } else if (word == "tap-any") {
            auto value = numberOf(rest);
            if (!value || *value > 1) return fail("'tap-any' needs a number from 0 to 1 that picks the control, like: tap-any 0.25");
            command.kind = K::TapAny;
            command.number = *value;
        } else if (word == "tap-if-shown") {
            if (auto problem = needs("a control id")) return fail(*problem);
            command.kind = K::TapIfShown;
            command.argument = rest;
        } else if (word == "wait-for") {
            auto [what, argument] = head(rest);
            const auto last = argument.find_last_of(" \t");
            const auto value = last == std::string::npos ? std::nullopt : numberOf(argument.substr(last + 1));
            if (what != "on-screen" || !value || trim(argument.substr(0, last)).empty()) {
                return fail("'wait-for' needs 'on-screen', a text and milliseconds, like: wait-for on-screen Naam 3000");
            }
            command.kind = K::WaitForOnScreen;
            command.argument = trim(argument.substr(0, last));
            command.number = *value;
        } else if (word == "replace-in-file") {
            auto [file, change] = head(rest);
            const auto arrow = change.find(" -> ");
            if (file.empty() || arrow == std::string::npos || trim(change.substr(0, arrow)).empty()) {
                return fail("'replace-in-file' needs a file, a text, ' -> ' and the new text, like: replace-in-file forms/a.yaml Naam -> Uw naam");
            }
            command.kind = K::ReplaceInFile;
            command.argument = file;
            command.extra = trim(change.substr(0, arrow));
            command.replacement = trim(change.substr(arrow + 4));
        } else if (word == "memory") {
            if (rest != "mark") return fail("'memory' needs 'mark'");
            command.kind = K::MemoryMark;
        } else if (word == "expect") {
            auto [what, argument] = head(rest);
            if (what == "screen") command.kind = K::ExpectScreen;
            else if (what == "focus") command.kind = K::ExpectFocus;
            else if (what == "spoken") command.kind = K::ExpectSpoken;
            else if (what == "not-spoken") command.kind = K::ExpectNotSpoken;
            else if (what == "layout") command.kind = K::ExpectLayout;
            else if (what == "on-screen") command.kind = K::ExpectOnScreen;
            else if (what == "not-on-screen") command.kind = K::ExpectNotOnScreen;
            else if (what == "icon-drawn") command.kind = K::ExpectIconDrawn;
            else if (what == "memory-growth") {
                auto value = numberOf(argument);
                if (!value) return fail("'expect memory-growth' needs a number of kibibytes");
                command.kind = K::ExpectMemoryGrowth;
                command.number = *value;
                commands.push_back(command);
                continue;
            }
            else if (what == "icon-colour") {
                auto [icon, colour] = head(argument);
                const bool hex = colour.size() == 6 && std::ranges::all_of(colour, [](char c) {
                    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
                });
                if (icon.empty() || !hex) {
                    return fail("'expect icon-colour' needs a staff icon's name and a colour as six hex digits, like: expect icon-colour huis 1F6FEB");
                }
                command.kind = K::ExpectIconColour;
                command.argument = icon;
                command.extra = colour;
                commands.push_back(command);
                continue;
            }
            else if (what == "field") {
                auto [field, expected] = head(argument);
                if (field.empty()) return fail("'expect field' needs a field id");
                command.kind = K::ExpectField;
                command.argument = field;
                command.extra = expected == "\"\"" ? std::string() : expected;
                commands.push_back(command);
                continue;
            } else return fail("unknown expectation '" + what + "'; use screen, focus, spoken, not-spoken, field, layout, on-screen, not-on-screen, icon-drawn, icon-colour or memory-growth");
            if (command.kind != K::ExpectLayout && argument.empty()) return fail("'expect " + what + "' needs a value");
            command.argument = argument;
        } else {
            return fail("unknown command '" + word + "'");
        }
        commands.push_back(command);
    }
    return commands;
}

}  // namespace kiosk::core
