"""python3-vtk9 peer for bench_brain_frames: the same mesh, the same size, camera rotating,
each frame rendered and read back. usage: vtk_frames_peer.py MESH.vtp WIDTH HEIGHT FRAMES
Prints {"mean_ms": ..., "median_ms": ...}."""
import json
import sys
import time

import vtk

path, width, height, frames = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
reader = vtk.vtkXMLPolyDataReader()
reader.SetFileName(path)
reader.Update()
mesh = reader.GetOutput()
mapper = vtk.vtkPolyDataMapper()
mapper.SetInputData(mesh)
labels = mesh.GetPointData().GetArray("atlas_label")
if labels is not None:  # colour by region, as Unitscope does
    lut = vtk.vtkLookupTable()
    lut.SetNumberOfTableValues(256)
    lut.Build()
    mapper.SetLookupTable(lut)
    mapper.SetScalarModeToUsePointFieldData()
    mapper.SelectColorArray("atlas_label")
    mapper.SetScalarRange(0, 255)
actor = vtk.vtkActor()
actor.SetMapper(mapper)
renderer = vtk.vtkRenderer()
renderer.AddActor(actor)
window = vtk.vtkRenderWindow()
window.SetSize(width, height)
window.AddRenderer(renderer)
window.SetMultiSamples(0)
renderer.ResetCamera()
window.Render()
times = []
for _ in range(frames):
    renderer.GetActiveCamera().Azimuth(360.0 / frames)
    start = time.perf_counter()
    window.Render()
    window.GetRGBACharPixelData(0, 0, width - 1, height - 1, 0)
    times.append((time.perf_counter() - start) * 1000)
times.sort()
print(json.dumps({"mean_ms": sum(times) / len(times), "median_ms": times[len(times) // 2]}))
