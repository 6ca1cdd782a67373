// The floor: the least any program on this stack (SDL2 + Dear ImGui + OpenGL3) can do.
// It opens the same fullscreen window as the kiosk, draws one button with ImGui's default
// font, and sets its title to "floor kiosk" once the first frame is on screen, so that the
// shared measuring script times it exactly as it times the kiosk. It then waits for events
// like the kiosk (no frame while nothing happens). Escape or the button ends it.
//
//   floor_kiosk [--window]
#include <SDL.h>
#include <SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>

#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
    const bool windowed = argc > 1 && std::strcmp(argv[1], "--window") == 0;
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        std::fprintf(stderr, "floor_kiosk: %s\n", SDL_GetError());
        return 2;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_DisplayMode mode{};
    SDL_GetDesktopDisplayMode(0, &mode);
    Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI;
    if (!windowed) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    SDL_Window* window = SDL_CreateWindow("floor", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                          mode.w > 0 ? mode.w : 1280, mode.h > 0 ? mode.h : 800, flags);
    if (window == nullptr) {
        std::fprintf(stderr, "floor_kiosk: %s\n", SDL_GetError());
        return 2;
    }
    SDL_GLContext gl = SDL_GL_CreateContext(window);
    SDL_GL_MakeCurrent(window, gl);
    SDL_GL_SetSwapInterval(1);
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui_ImplSDL2_InitForOpenGL(window, gl);
    ImGui_ImplOpenGL3_Init("#version 130");

    bool running = true;
    bool titled = false;
    bool dirty = true;
    while (running) {
        SDL_Event event;
        if (!dirty && SDL_WaitEvent(&event) != 0) {
            do {
                ImGui_ImplSDL2_ProcessEvent(&event);
                if (event.type == SDL_QUIT) running = false;
                if (event.type == SDL_KEYDOWN && event.key.keysym.sym == SDLK_ESCAPE) running = false;
            } while (SDL_PollEvent(&event) != 0);
            dirty = true;
        }
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplSDL2_NewFrame();
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
        ImGui::Begin("floor", nullptr, ImGuiWindowFlags_NoDecoration);
        if (ImGui::Button("Start", ImVec2(400, 200))) running = false;
        ImGui::End();
        ImGui::Render();
        int w = 0, h = 0;
        SDL_GL_GetDrawableSize(window, &w, &h);
        glViewport(0, 0, w, h);
        glClearColor(0.1f, 0.1f, 0.1f, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        SDL_GL_SwapWindow(window);
        if (!titled) {
            SDL_SetWindowTitle(window, "floor kiosk");
            titled = true;
        }
        dirty = false;
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    SDL_GL_DeleteContext(gl);
    SDL_DestroyWindow(window);
    SDL_Quit();
    return 0;
}
