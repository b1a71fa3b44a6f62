import { Body, Delete, Get, Headers, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse } from '@nestjs/swagger';
import type { CrmCaller } from '../core/access/crm-caller';
import { Authorized, Caller } from '../core/access/crm-access.decorators';
import { AuditEntryPageDto } from '../core/audit/dto/audit-entry.dto';
import { ErrorResponseDto } from '../core/errors/error-response.dto';
import { CrmController } from '../core/http/crm-controller.decorator';
import { IdParam } from '../core/http/id-param.decorator';
import { Locales } from '../core/http/locales.decorator';
import { PageQueryDto } from '../core/http/page';
import { DryRunQueryDto } from '../core/http/dry-run-query.dto';
import { BulkDeleteSourcesDto } from './dto/bulk-delete-sources.dto';
import { CreateSourceDto } from './dto/create-source.dto';
import { MergeResultDto, MergeSourceDto } from './dto/merge-source.dto';
import { SourceDto, SourcePageDto } from './dto/source.dto';
import { SourceQueryDto } from './dto/source-query.dto';
import { UpdateSourceDto } from './dto/update-source.dto';
import { SourceLifecycleService } from './source-lifecycle.service';
import { SourcesService } from './sources.service';

const NotFound = ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No source with this id' });
const Conflict = (description: string) => ApiConflictResponse({ type: ErrorResponseDto, description });

@CrmController('sources', 'Sources')
export class SourcesController {
  constructor(
    private readonly sources: SourcesService,
    private readonly lifecycle: SourceLifecycleService,
  ) {}

  @Get()
  @Authorized('sources.read')
  @ApiOkResponse({ type: SourcePageDto })
  list(@Caller() caller: CrmCaller, @Query() query: SourceQueryDto, @Locales() locales: string[]) {
    return this.sources.list(caller, query, locales);
  }

  @Get(':id')
  @Authorized('sources.read')
  @ApiOkResponse({ type: SourceDto })
  @NotFound
  get(@Caller() caller: CrmCaller, @IdParam() id: number, @Locales() locales: string[]) {
    return this.sources.get(caller, id, locales);
  }

  @Post()
  @Authorized('sources.write')
  @ApiCreatedResponse({ type: SourceDto })
  @Conflict('The code is taken or retired, or a match key links to another source')
  create(@Caller() caller: CrmCaller, @Body() dto: CreateSourceDto, @Locales() locales: string[]) {
    return this.sources.create(caller, dto, locales);
  }

  @Patch(':id')
  @Authorized('sources.write')
  @ApiOkResponse({ type: SourceDto })
  @NotFound
  @Conflict('Stale version, protected code, taken or retired code, or a taken match key')
  update(
    @Caller() caller: CrmCaller,
    @IdParam() id: number,
    @Body() dto: UpdateSourceDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Locales() locales: string[],
  ) {
    return this.sources.update(caller, id, dto, ifMatch, locales);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @Authorized('sources.write')
  @ApiOkResponse({ type: SourceDto, description: 'Archived: out of the pickers, kept by every record that has it' })
  @NotFound
  @Conflict('The source is protected')
  archive(@Caller() caller: CrmCaller, @IdParam() id: number, @Locales() locales: string[]) {
    return this.lifecycle.archive(caller, id, locales);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @Authorized('sources.write')
  @ApiOkResponse({ type: SourceDto })
  @NotFound
  restore(@Caller() caller: CrmCaller, @IdParam() id: number, @Locales() locales: string[]) {
    return this.lifecycle.restore(caller, id, locales);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorized('sources.write')
  @ApiNoContentResponse({ description: 'Deleted; its code is retired for good' })
  @NotFound
  @Conflict('Records reference it (archive or merge instead), or it is protected')
  async remove(@Caller() caller: CrmCaller, @IdParam() id: number): Promise<void> {
    await this.lifecycle.remove(caller, id);
  }

  @Post('bulk-delete')
  @HttpCode(204)
  @Authorized('sources.write')
  @ApiNoContentResponse({ description: 'All deleted' })
  @NotFound
  @Conflict('At least one source blocks; `details.blocked` gives the reason for each, and nothing was deleted')
  async bulkRemove(@Caller() caller: CrmCaller, @Body() dto: BulkDeleteSourcesDto): Promise<void> {
    await this.lifecycle.bulkRemove(caller, dto.ids);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @Authorized('sources.write')
  @ApiOkResponse({ type: MergeResultDto })
  @NotFound
  @Conflict('The merged source is protected, or the target is archived')
  merge(@Caller() caller: CrmCaller, @IdParam() id: number, @Body() dto: MergeSourceDto, @Query() query: DryRunQueryDto) {
    return this.lifecycle.merge(caller, id, dto.intoId, query.dryRun ?? false);
  }

  @Get(':id/history')
  @Authorized('sources.read')
  @ApiOkResponse({ type: AuditEntryPageDto })
  @NotFound
  history(@Caller() caller: CrmCaller, @IdParam() id: number, @Query() query: PageQueryDto) {
    return this.sources.history(caller, id, query);
  }
}
