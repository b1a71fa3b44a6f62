import { Body, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { CrmCaller } from '../core/access/crm-caller';
import { Authorized, Caller } from '../core/access/crm-access.decorators';
import { AuditEntryPageDto } from '../core/audit/dto/audit-entry.dto';
import { ErrorResponseDto } from '../core/errors/error-response.dto';
import { CrmController } from '../core/http/crm-controller.decorator';
import { ScopedRecords } from '../core/visibility/record-scope.decorators';
import { IdParam } from '../core/http/id-param.decorator';
import { IfMatch } from '../core/http/if-match.decorator';
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
import { ApiBodyExample } from '../core/http/api-body-example';

const NotFound = ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No source with this id' });
const Conflict = (description: string) => ApiConflictResponse({ type: ErrorResponseDto, description });

@CrmController('sources', 'Lead and customer sources')
@ScopedRecords('source')
export class SourcesController {
  constructor(
    private readonly sources: SourcesService,
    private readonly lifecycle: SourceLifecycleService,
  ) {}

  @Get()
  @Authorized('sources.read')
  @ApiOkResponse({ type: SourcePageDto })
  @ApiOperation({ summary: 'List lead and customer sources', description: 'Active sources first by sequence; `appliesTo` narrows to those a lead or a customer can pick, `includeArchived` shows archived ones too. Names come in the language of `Accept-Language`.' })
  list(@Caller() caller: CrmCaller, @Query() query: SourceQueryDto, @Locales() locales: string[]) {
    return this.sources.list(caller, query, locales);
  }

  @Get(':id')
  @Authorized('sources.read')
  @ApiOkResponse({ type: SourceDto })
  @NotFound
  @ApiOperation({ summary: 'Get a source' })
  get(@Caller() caller: CrmCaller, @IdParam('the lead or customer source') id: number, @Locales() locales: string[]) {
    return this.sources.get(caller, id, locales);
  }

  @Post()
  @Authorized('sources.write')
  @ApiCreatedResponse({ type: SourceDto })
  @Conflict('The code is taken or retired, or a match key links to another source')
  @ApiOperation({ summary: 'Create a source', description: 'A lead source, a customer source or both (`enabledForLeads`, `enabledForCustomers`), with its code, type, match keys for incoming leads and how those leads are routed.' })
  @ApiBodyExample(CreateSourceDto, 'A lead source for a trade fair', { code: 'trade_fair_2026', name: 'Trade Fair 2026', type: 'event_exhibition', translations: { fr: 'Salon 2026' }, matchKeys: ['trade-fair-2026'] })
  create(@Caller() caller: CrmCaller, @Body() dto: CreateSourceDto, @Locales() locales: string[]) {
    return this.sources.create(caller, dto, locales);
  }

  @Patch(':id')
  @Authorized('sources.write')
  @ApiOkResponse({ type: SourceDto })
  @NotFound
  @Conflict('Stale version, protected code, taken or retired code, or a taken match key')
  @ApiOperation({ summary: 'Edit a source', description: 'Send the `version` you read (in the body or as `If-Match`): a stale one is refused so a newer change is not overwritten. Renaming is safe; changing the code breaks integrations that use it.' })
  @ApiBodyExample(UpdateSourceDto, 'Rename it and move it down the pickers', { name: 'Trade Fair (spring)', sequence: 95, version: 1 })
  update(
    @Caller() caller: CrmCaller,
    @IdParam('the lead or customer source') id: number,
    @Body() dto: UpdateSourceDto,
    @IfMatch() ifMatch: string | undefined,
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
  @ApiOperation({ summary: 'Archive a source', description: 'Removes it from the pickers and from intake matching; leads, customers and opportunities that have it keep it.' })
  archive(@Caller() caller: CrmCaller, @IdParam('the lead or customer source') id: number, @Locales() locales: string[]) {
    return this.lifecycle.archive(caller, id, locales);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @Authorized('sources.write')
  @ApiOkResponse({ type: SourceDto })
  @NotFound
  @ApiOperation({ summary: 'Restore an archived source' })
  restore(@Caller() caller: CrmCaller, @IdParam('the lead or customer source') id: number, @Locales() locales: string[]) {
    return this.lifecycle.restore(caller, id, locales);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorized('sources.write')
  @ApiNoContentResponse({ description: 'Deleted; its code is retired for good' })
  @NotFound
  @Conflict('Records reference it (archive or merge instead), or it is protected')
  @ApiOperation({ summary: 'Delete a source', description: 'Only for a source created by mistake and never used: refused while any record references it (archive or merge it instead). Its code is retired and can never be reused.' })
  async remove(@Caller() caller: CrmCaller, @IdParam('the lead or customer source') id: number): Promise<void> {
    await this.lifecycle.remove(caller, id);
  }

  @Post('bulk-delete')
  @HttpCode(204)
  @Authorized('sources.write')
  @ApiNoContentResponse({ description: 'All deleted' })
  @NotFound
  @Conflict('At least one source blocks; `details.blocked` gives the reason for each, and nothing was deleted')
  @ApiOperation({ summary: 'Delete several sources', description: 'All or none: if one of them is referenced or protected, nothing is deleted and `details.blocked` says why for each.' })
  @ApiBodyExample(BulkDeleteSourcesDto, 'Delete the trade-fair source created above (id 10 on a fresh database)', { ids: [10] })
  async bulkRemove(@Caller() caller: CrmCaller, @Body() dto: BulkDeleteSourcesDto): Promise<void> {
    await this.lifecycle.bulkRemove(caller, dto.ids);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @Authorized('sources.write')
  @ApiOkResponse({ type: MergeResultDto })
  @NotFound
  @Conflict('The merged source is protected, or the target is archived')
  @ApiOperation({ summary: 'Merge a source into another', description: 'Moves every lead, customer, opportunity and match key of this source to `intoId`, then deletes this one. With `dryRun=true`, only counts what would move.' })
  @ApiBodyExample(MergeSourceDto, 'Merge it into Event / Exhibition (id 9 on a fresh database)', { intoId: 9 })
  merge(@Caller() caller: CrmCaller, @IdParam('the lead or customer source') id: number, @Body() dto: MergeSourceDto, @Query() query: DryRunQueryDto) {
    return this.lifecycle.merge(caller, id, dto.intoId, query.dryRun ?? false);
  }

  @Get(':id/history')
  @Authorized('sources.read')
  @ApiOkResponse({ type: AuditEntryPageDto })
  @NotFound
  @ApiOperation({ summary: "A source's change history", description: 'Who changed what and when, newest first.' })
  history(@Caller() caller: CrmCaller, @IdParam('the lead or customer source') id: number, @Query() query: PageQueryDto) {
    return this.sources.history(caller, id, query);
  }
}
